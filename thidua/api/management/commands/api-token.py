"""thidua api-token create USERNAME NAME | revoke PREFIX | list [USERNAME]: personal API tokens.

The secret is printed once, on the last line of `create`'s output, and never stored in clear.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thidua.api import services
from thidua.api.models import ApiToken
from thidua.org.models import User


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"


class Command(BaseCommand):
    help = "Tạo, thu hồi, liệt kê mã truy cập API cá nhân (mã có đúng quyền của người dùng, không hơn)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="Tạo mã truy cập cho một người dùng; mã bí mật chỉ hiện một lần.")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("name", metavar="NAME", help="Tên gợi nhớ, ví dụ «Phần mềm tổng hợp của Sở».")
        revoke = actions.add_parser("revoke", help="Thu hồi một mã truy cập theo tiền tố (8 ký tự đầu).")
        revoke.add_argument("prefix", metavar="PREFIX")
        listing = actions.add_parser("list", help="Liệt kê các mã truy cập (không bao giờ in mã bí mật).")
        listing.add_argument("username", metavar="USERNAME", nargs="?")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        return user

    def _create(self, *, username, name, **options):
        try:
            token, secret = services.token_create(user=self._user(username), name=name)
        except services.ApiTokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã tạo mã truy cập «{token.name}» cho {username} (tiền tố {token.prefix}).")
        self.stdout.write("Mã bí mật dưới đây chỉ hiện một lần; hãy lưu ngay vào nơi an toàn. "
                          "Dùng trong tiêu đề: Authorization: Bearer <mã>")
        self.stdout.write(secret)

    def _revoke(self, *, prefix, **options):
        token = ApiToken.objects.select_related("user").filter(prefix=prefix.strip()).first()
        if token is None:
            raise CommandError(f"Không có mã truy cập nào có tiền tố «{prefix}».")
        try:
            services.token_revoke(token=token, actor=None)
        except services.ApiTokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã thu hồi mã truy cập «{token.name}» ({token.prefix}) của {token.user.username}.")

    def _list(self, *, username=None, **options):
        tokens = services.tokens_of(self._user(username) if username else None)
        if not tokens:
            self.stdout.write("Chưa có mã truy cập nào.")
        for token in tokens:
            state = f"thu hồi {_when(token.revoked_at)}" if token.revoked_at else "đang dùng"
            self.stdout.write(f"{token.prefix}  {token.user.username:<20} {token.name}  — tạo {_when(token.created_at)}, "
                              f"dùng gần nhất {_when(token.last_used_at)}, {state}")
