"""Password rules: Django's validators with Vietnamese messages (Django's `vi` catalogue leaves them
untranslated, notes/stack.md §11). The rules themselves are Django's, unchanged."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class SimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    """Not too close to the user's name, full name or e-mail."""

    # Our accounts keep the name in `full_name` (Django's default looks only at first/last name).
    USER_ATTRIBUTES = ("username", "full_name", "first_name", "last_name", "email")

    def __init__(self, user_attributes=USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password, user=None):
        # Django's message names the field by its verbose name; ours are Vietnamese already.
        try:
            super().validate(password, user)
        except django_rules.ValidationError as error:
            field = error.params.get("verbose_name", "") if error.params else ""
            raise django_rules.ValidationError(
                _("Mật khẩu quá giống %(field)s.") % {"field": str(field).lower() or _("thông tin tài khoản")},
                code="password_too_similar",
            ) from None

    def get_help_text(self) -> str:
        return _("Mật khẩu không được quá giống tên đăng nhập, họ tên hay thư điện tử.")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chỉ gồm chữ số.")

