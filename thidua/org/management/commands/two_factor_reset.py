from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.audit.services import audit_log
from thidua.org.models import User


class Command(BaseCommand):
    help = ("Xóa ứng dụng xác thực và mã khôi phục của một tài khoản (mất điện thoại): lần đăng nhập sau "
            "người dùng bật lại xác thực hai bước. Ghi nhật ký.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{username}'.")
        with transaction.atomic():
            removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
            audit_log(action="two_factor.reset", target=user, summary=f"Đặt lại xác thực hai bước của {username}",
                      data={"removed": removed})
        self.stdout.write(f"Đã đặt lại xác thực hai bước của {username}: lần đăng nhập sau sẽ bật lại.")
