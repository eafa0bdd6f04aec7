from django.core.management.base import BaseCommand

from thidua.demo import DEMO_PASSWORD, demo_load, demo_logins


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa: năm cụm thi đua của các bài báo, tài khoản thử cho từng vai trò (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true", help="Chỉ in danh sách tài khoản thử, không nạp dữ liệu.")

    def handle(self, *args, print_logins: bool = False, **options):
        if not print_logins:
            demo_load()
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu minh họa."))
        self.stdout.write(f"Tài khoản thử (mật khẩu chung: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<22} {login.full_name} — {login.roles}")
