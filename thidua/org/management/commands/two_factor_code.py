"""For the demo and for support at the server: the code a user's authenticator shows now.

Whoever can run this already holds the database and its keys; the web never shows a code.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.org.models import User


class Command(BaseCommand):
    help = ("In mã 6 chữ số mà ứng dụng xác thực của tài khoản đang hiện (thử bản minh họa khi không có "
            "điện thoại). Dùng cả cho lúc đang bật (chưa xác nhận).")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{username}'.")
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first())
        if device is None:
            raise CommandError(f"Tài khoản '{username}' chưa bật xác thực hai bước: đăng nhập trên web trước.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        left = device.step - (int(time.time()) - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}  (còn {left} giây)")
