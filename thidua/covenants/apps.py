from django.apps import AppConfig


class CovenantsConfig(AppConfig):
    name = "thidua.covenants"
    verbose_name = "Giao ước thi đua"
