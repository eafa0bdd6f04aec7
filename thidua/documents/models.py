"""What the leader types into the year-end report (báo cáo tổng kết); everything else comes from data.

The figures, the ranking, the leading unit, the award proposals and next year's leader are read
from the covenant, the scores and the conference (thidua.documents.report); only the parts a person
must write live here: the number and symbol of the document, its recipients, who signs, and the
weaknesses and directions of the year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.org.models import GroupYear


class ReportText(models.Model):
    """The free text of a group-year's year-end report, entered by the leader's officers or the Board."""

    group_year = models.OneToOneField(GroupYear, on_delete=models.CASCADE, related_name="report_text")
    number_symbol = models.CharField(
        _("Số, ký hiệu"), max_length=50, blank=True,
        help_text=_("Ví dụ: 01/BC-CTĐ2 (Nghị định 30/2020/NĐ-CP: số/tên loại văn bản-tên cơ quan ban hành)."),
    )
    recipients = models.TextField(
        _("Nơi nhận"), blank=True,
        help_text=_("Mỗi nơi nhận một dòng, ví dụ: “Ban Thi đua – Khen thưởng tỉnh (b/c);”, “Lưu: VT.”"),
    )
    signer_title = models.TextField(
        _("Quyền hạn, chức vụ người ký"), max_length=300, blank=True,
        help_text=_("Mỗi dòng một dòng chữ in hoa trong khối chữ ký, ví dụ: “TM. CỤM THI ĐUA SỐ 2” rồi “CỤM TRƯỞNG”."),
    )
    signer_name = models.CharField(_("Họ và tên người ký"), max_length=200, blank=True)
    weaknesses = models.TextField(_("Tồn tại, hạn chế"), blank=True)
    directions = models.TextField(_("Phương hướng, nhiệm vụ năm sau"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("Nội dung báo cáo tổng kết")
        verbose_name_plural = _("Nội dung báo cáo tổng kết")

    def __str__(self) -> str:
        return f"Báo cáo tổng kết {self.group_year}"
