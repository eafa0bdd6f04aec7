"""Forms of the covenant editor. Validation of the covenant itself stays in the file reader and the
services (one path for the file, the editor and the API); forms only read what users type."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from thidua.lib.numbers import NumberParseError, format_number, parse_number
from thidua.scoring.methods import (
    AGGREGATE_LABELS_VI,
    DIRECTION_LABELS_VI,
    METHOD_LABELS_VI,
    METHOD_PARAMS,
    RANK_BY,
)


class ViDecimalField(forms.CharField):
    """A number typed the Vietnamese way (1.234,5) or plainly (1234.5); shown back the Vietnamese way."""

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_number(text)
        except NumberParseError:
            raise forms.ValidationError(f"«{text}» không phải là số (ví dụ đúng: 1.234,5 hoặc 60).") from None

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, Decimal) else value


PARAM_LABELS = {
    "penalty_per_pct": "Điểm trừ cho mỗi 1% dưới kế hoạch (mặc định: điểm tối đa / 100)",
    "bonus_per_pct": "Điểm cộng cho mỗi 1% vượt kế hoạch (mặc định 0)",
    "bonus_cap": "Điểm cộng tối đa (mặc định 0)",
    "threshold": "Ngưỡng đạt (để trống: dùng kế hoạch của từng đơn vị)",
    "partial": "Điểm khi chưa đạt ngưỡng (mặc định 0)",
    "by": "Xếp hạng theo",
    "step": "Điểm giảm cho mỗi bậc xếp hạng (bắt buộc)",
    "min_points": "Điểm tối thiểu khi xếp hạng (mặc định 0)",
}
NUMBER_PARAMS = ("penalty_per_pct", "bonus_per_pct", "bonus_cap", "threshold", "partial", "step", "min_points")


class CriterionForm(forms.Form):
    code = forms.CharField(label="Mã tiêu chí", max_length=20)
    content = forms.ChoiceField(label="Thuộc nội dung")
    title = forms.CharField(label="Tên tiêu chí", max_length=500)
    max_points = ViDecimalField(label="Điểm tối đa")
    measure = forms.CharField(label="Đơn vị tính", max_length=50, required=False)
    direction = forms.ChoiceField(label="Chiều đánh giá", choices=list(DIRECTION_LABELS_VI.items()))
    aggregate = forms.ChoiceField(label="Tổng hợp số liệu cụm", choices=list(AGGREGATE_LABELS_VI.items()))
    method = forms.ChoiceField(label="Phương pháp chấm", choices=list(METHOD_LABELS_VI.items()))
    penalty_per_pct = ViDecimalField(label=PARAM_LABELS["penalty_per_pct"], required=False)
    bonus_per_pct = ViDecimalField(label=PARAM_LABELS["bonus_per_pct"], required=False)
    bonus_cap = ViDecimalField(label=PARAM_LABELS["bonus_cap"], required=False)
    threshold = ViDecimalField(label=PARAM_LABELS["threshold"], required=False)
    partial = ViDecimalField(label=PARAM_LABELS["partial"], required=False)
    by = forms.ChoiceField(label=PARAM_LABELS["by"], required=False,
                           choices=[("", "—"), ("actual", "Số thực hiện"), ("pct_of_plan", "% kế hoạch")])
    step = ViDecimalField(label=PARAM_LABELS["step"], required=False)
    min_points = ViDecimalField(label=PARAM_LABELS["min_points"], required=False)
    requires_evidence = forms.BooleanField(label="Bắt buộc đơn vị tải minh chứng", required=False)
    amendment_reason = forms.CharField(label="Lý do sửa đổi (giao ước đã ký kết)", required=False, max_length=500,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, contents: list[tuple[str, str]], editing: bool, frozen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content"].choices = contents
        if editing:  # a criterion's code keys its results: it is not renamed
            self.fields["code"].disabled = True
        if frozen:
            self.fields["amendment_reason"].required = True
        else:
            del self.fields["amendment_reason"]

    def params(self) -> dict[str, Decimal | str]:
        """The parameters the chosen method takes (methods.METHOD_PARAMS), blanks left to defaults."""
        allowed = METHOD_PARAMS[self.cleaned_data["method"]]
        values = {name: self.cleaned_data.get(name) for name in (*NUMBER_PARAMS, "by")}
        return {name: value for name, value in values.items() if name in allowed and value not in (None, "")}

    def clean_by(self):
        value = self.cleaned_data.get("by")
        if value and value not in RANK_BY:
            raise forms.ValidationError("Chỉ xếp hạng theo số thực hiện hoặc % kế hoạch.")
        return value


class ContentForm(forms.Form):
    code = forms.CharField(label="Mã nội dung", max_length=20)
    title = forms.CharField(label="Tên nội dung", max_length=500)
    max_points = ViDecimalField(label="Điểm tối đa")
    amendment_reason = forms.CharField(label="Lý do sửa đổi (giao ước đã ký kết)", required=False, max_length=500,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, editing: bool, frozen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
        if frozen:
            self.fields["amendment_reason"].required = True
        else:
            del self.fields["amendment_reason"]
