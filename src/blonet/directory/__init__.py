"""The directory of the border network: countries, agencies, sites, offices, counterpart pairs."""
