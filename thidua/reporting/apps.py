from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "thidua.reporting"
    verbose_name = "Báo cáo số liệu trong năm"
