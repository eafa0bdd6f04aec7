from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thidua.audit"
    verbose_name = "Nhật ký"

    def ready(self) -> None:
        from thidua.audit import signals

        signals.connect()
