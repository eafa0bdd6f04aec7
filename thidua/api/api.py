"""The REST API (issue #8): the NinjaAPI instance, its authentication and its error answers.

Mounted at /api/ (thidua/urls.py); the OpenAPI 3.1 document is /api/openapi.json. Every error is
`{"detail": "<Vietnamese message>"}` (422 adds `errors`), including unknown addresses under /api/.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from thidua.api.auth import ApiTokenAuth
from thidua.api.endpoints import router
from thidua.api.endpoints_awards import router as awards_router
from thidua.reporting.evidence import format_size

DESCRIPTION = """\
API của phần mềm Thi đua – Khen thưởng: cụm, khối thi đua, giao ước, số liệu của đơn vị, điểm và
xếp hạng, bỏ phiếu, đề nghị khen thưởng; cá nhân và tập thể với quá trình khen thưởng, điều kiện
khen thưởng trong năm xét kèm lý do và điều luật; hồ sơ đề nghị khen thưởng (xem danh sách, chi
tiết, trạng thái).

**Xác thực.** Mỗi yêu cầu gửi kèm tiêu đề `Authorization: Bearer <mã truy cập>`. Mã truy cập cá nhân
do quản trị viên tạo bằng lệnh `thidua api-token create TÊN_ĐĂNG_NHẬP "Tên gợi nhớ"` (mã chỉ hiện
một lần; hệ thống chỉ lưu bản băm SHA-256) và thu hồi bằng `thidua api-token revoke TIỀN_TỐ`. Mã
thiếu, sai hoặc đã thu hồi: 401.

**Phạm vi.** Mã truy cập có đúng quyền của người dùng, không hơn: cụm, khối, đơn vị ngoài phạm vi
trả 404 (không tiết lộ sự tồn tại); thao tác được xem nhưng không được làm trả 403. Cá nhân, tập thể
và hồ sơ khen thưởng: chỉ của các đơn vị trong phạm vi.

**Số.** Số liệu, điểm tối đa, tham số, tổng điểm đề nghị là chuỗi thập phân dạng thông thường, dấu
chấm, không đệm số 0 (`"112.88"`, `"100"`), đúng như đã lưu. Riêng điểm và xếp hạng
(`/scores`) trả đúng đối tượng của `thidua score CỤM NĂM --json` (COVENANT_FORMAT.md): số thực
hai chữ số thập phân. Khi ghi, `value` nhận số JSON hoặc chuỗi viết kiểu Việt Nam (`"1.234,5"`)
hay thông thường (`"1234.5"`).

**Danh sách** dài có phân trang: `limit` (1–500, mặc định 100) và `offset`; kết quả có `count`.

**Lỗi**: `{"detail": "thông báo tiếng Việt"}`; 409 (người khác vừa lưu, kèm giá trị mới nhất),
423 (báo cáo đã khóa, kèm lý do), 422 (dữ liệu không hợp lệ, kèm `errors`).
"""

NOT_FOUND = "Không tìm thấy."
UNAUTHORIZED = ("Thiếu, sai hoặc đã thu hồi mã truy cập API. Gửi tiêu đề «Authorization: Bearer <mã truy cập>»; "
                "mã do quản trị viên tạo bằng lệnh thidua api-token create.")
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
TOO_BIG = "Nội dung yêu cầu quá lớn (tối đa {limit}); không có gì được lưu."
UNREADABLE = "Không đọc được nội dung yêu cầu: phải là JSON hợp lệ, mã hóa UTF-8 (Content-Type: application/json)."

# pydantic error types → what to tell the user
ERROR_WORDS = {
    "missing": "bắt buộc phải có",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "greater_than_equal": "nhỏ hơn giá trị tối thiểu cho phép",
    "less_than_equal": "lớn hơn giá trị tối đa cho phép",
    "string_pattern_mismatch": "có ký tự không hợp lệ",
    "string_too_long": "quá dài",
    "string_too_short": "không được để trống",
    "string_type": "phải là văn bản",
    "literal_error": "không phải giá trị cho phép",
    "json_invalid": "không phải JSON hợp lệ",
    "model_attributes_type": "phải là một đối tượng JSON",
    "dict_type": "phải là một đối tượng JSON",
}


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese as UTF-8, not \u escapes


class ThiduaAPI(NinjaAPI):
    @property
    def urls(self):
        """Ninja's URLs, then a JSON 404 for any other address under the API's prefix (the prefix
        itself included: Ninja's own root view, kept for `reverse`, would answer with an HTML page)."""
        patterns, app_name, namespace = super().urls
        unknown = self._unknown_address
        return [re_path(r"^$", unknown), *patterns, re_path(r"^.*$", unknown)], app_name, namespace

    def _unknown_address(self, request: HttpRequest, *args, **kwargs):
        return JsonResponse({"detail": "Không có địa chỉ API này. Danh sách địa chỉ: /api/openapi.json."},
                            status=404, json_dumps_params={"ensure_ascii": False})


api = ThiduaAPI(
    title="API Thi đua – Khen thưởng",
    version="1",
    description=DESCRIPTION,
    auth=ApiTokenAuth(),
    openapi_url="/openapi.json",  # under /api/ (thidua/urls.py): /api/openapi.json
    # Swagger UI needs "ninja" in INSTALLED_APPS to serve its scripts itself (else from a CDN, which
    # the Content Security Policy refuses); the OpenAPI document is the documentation.
    docs_url=None,
    urls_namespace="api",
    renderer=Renderer(),
)
api.add_router("/", router)
api.add_router("/", awards_router)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="thidua"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or NOT_FOUND}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or FORBIDDEN}, status=403)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    detail = UNREADABLE if exc.status_code == 400 else str(exc)  # Ninja's own 400: the body is not JSON
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's JSON, not Django's HTML 400 page."""
    limit = format_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return api.create_response(request, {"detail": TOO_BIG.format(limit=limit)}, status=413)


def _field_error(error: dict) -> dict:
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    kind = str(error.get("type", ""))
    where = ".".join(str(part) for part in loc[1:] if part != "payload") or ".".join(str(p) for p in loc)
    return {"loc": loc, "msg": f"{where}: {ERROR_WORDS.get(kind, 'không hợp lệ')}", "type": kind}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError):
    errors = [_field_error(e) for e in exc.errors if isinstance(e, dict)]
    detail = "Dữ liệu gửi lên không hợp lệ"
    if errors:
        detail += ": " + "; ".join(e["msg"] for e in errors[:5])
    return api.create_response(request, {"detail": detail + ".", "errors": errors}, status=422)

