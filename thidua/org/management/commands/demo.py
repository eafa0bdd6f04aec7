from django.core.management.base import BaseCommand

from thidua.demo import DEMO_PASSWORD, demo_load, demo_logins


# Printed with the logins (also by scripts/serve, i.e. `make run`): the Board and council accounts
# need an authenticator app on the first login (issue #8).
TWO_FACTOR_NOTE = """
Xác thực hai bước: tài khoản Ban Thi đua – Khen thưởng và Hội đồng (bantdkt, ban.*, hoidong.*) phải
bật ở lần đăng nhập đầu: sau mật khẩu, trang "Bật xác thực hai bước" hiện mã QR — quét bằng ứng dụng
xác thực trên điện thoại (Google/Microsoft Authenticator, FreeOTP, Aegis…) hoặc nhập khóa hiện dưới mã
QR, rồi nhập mã 6 chữ số; lưu các mã khôi phục. Các lần sau: mật khẩu rồi mã 6 chữ số.
Không có điện thoại: `.venv/bin/thidua two_factor_code bantdkt` in mã đang hiện của tài khoản.
Two-factor: Board and council accounts enrol on their first login (scan the QR code with any TOTP
app, or type the key shown under it; then type the 6-digit code); afterwards password + code.
No phone at hand: `.venv/bin/thidua two_factor_code bantdkt` prints the current code."""


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
        self.stdout.write(TWO_FACTOR_NOTE)
