from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    ANALYST = "analyst", _("Analyst")
    COORDINATOR = "coordinator", _("Coordinator")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    PROGRAMME_VIEWER = "programme_viewer", _("Programme viewer (read-only)")
    NODE_ADMIN = "node_admin", _("Node administrator")


# Roles that never see personal data and so may work without MFA.
ROLES_WITHOUT_MFA = frozenset({Role.PROGRAMME_VIEWER.value})
