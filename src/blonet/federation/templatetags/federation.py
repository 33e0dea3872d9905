from typing import Any

from django import template

from blonet.federation.selectors import may_administer

register = template.Library()


@register.filter
def may_administer_federation(user: Any) -> bool:
    return may_administer(user)
