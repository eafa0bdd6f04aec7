from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thidua.org"
    verbose_name = "Tổ chức: đơn vị, cụm/khối thi đua, vai trò"

    def ready(self) -> None:
        from thidua.org import checks, collation  # noqa: F401  (checks register themselves)

        collation.register_sqlite_collation()
