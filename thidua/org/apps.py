from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thidua.org"
    verbose_name = "Tổ chức: đơn vị, cụm/khối thi đua, vai trò"

    def ready(self) -> None:
        from thidua.org import collation

        collation.register_sqlite_collation()
