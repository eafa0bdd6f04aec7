"""Signing the covenant at the conference (DOMAIN.md, cycle step 5) and the covenant's PDF.

Each member unit's head signs for their unit on screen: signer, position, date. One signature per
unit (a database constraint). Members sign while the covenant is a draft or already signed (the
leader may have signed it off before the last members sign); when the last member signs a draft,
the covenant moves to signed, dated the day of the last signature.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from thidua.audit.services import audit_log
from thidua.conference.models import CovenantSignature
from thidua.covenants import services as covenant_services
from thidua.covenants.models import Covenant, CovenantStatus
from thidua.covenants.selectors import criteria_of, members_of
from thidua.lib.dates import format_date, format_long_date
from thidua.org import policy
from thidua.org.models import Group, Membership, Unit, UnitKind, User

SIGNABLE = (CovenantStatus.DRAFT, CovenantStatus.SIGNED)
NAME_MAX = 200


class SigningError(ValueError):
    """A signature the rules refuse; the message is for the user, in Vietnamese."""


class SigningForbidden(PermissionDenied):
    """The actor may not sign for this unit (403)."""


# ------------------------------------------------------------------------------ reads


@dataclass(frozen=True)
class SignatureRow:
    """A member unit in covenant order with its signature, or None while it has not signed."""

    number: int
    membership: Membership
    signature: CovenantSignature | None

    @property
    def unit(self) -> Unit:
        return self.membership.unit


def covenant_signature_rows(covenant: Covenant) -> list[SignatureRow]:
    """Every member unit (leader, deputies, then by code) with its signature: two queries."""
    signatures = {s.unit_id: s for s in covenant.signatures.all()}
    return [
        SignatureRow(number=i, membership=m, signature=signatures.get(m.unit_id))
        for i, m in enumerate(members_of(covenant.group_year), start=1)
    ]


def units_user_signs_for(user: User, covenant: Covenant) -> list[Unit]:
    """The member units this user heads (policy.can_submit_unit_report), in covenant order."""
    return [m.unit for m in members_of(covenant.group_year) if policy.can_submit_unit_report(user, m.unit)]


# ------------------------------------------------------------------------------ writes


def _clean_text(value: str, *, label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise SigningError(f"Chưa nhập {label}.")
    if len(text) > NAME_MAX:
        raise SigningError(f"{label.capitalize()} dài quá {NAME_MAX} ký tự.")
    return text


@transaction.atomic
def covenant_signature_add(
    *,
    covenant: Covenant,
    unit: Unit,
    signer_name: str,
    position: str,
    signed_on: dt.date,
    actor: User,
) -> CovenantSignature:
    """The head of a member unit signs the covenant for that unit.

    Raises SigningForbidden when the actor is not the unit's head, SigningError when the unit is
    not a member, has already signed, the date is in the future or the covenant is closed.
    """
    if not policy.can_submit_unit_report(actor, unit):
        raise SigningForbidden("Chỉ thủ trưởng đơn vị được ký giao ước cho đơn vị mình.")
    # One signing at a time per covenant (PostgreSQL row lock), so the last signer sees every
    # other signature and the covenant moves to signed exactly once.
    locked = Covenant.objects.select_for_update().select_related("group_year").get(pk=covenant.pk)
    if locked.status not in SIGNABLE:
        raise SigningError("Giao ước đã tổng kết; không ký thêm được.")
    member_ids = set(locked.group_year.memberships.values_list("unit_id", flat=True))
    if unit.pk not in member_ids:
        raise SigningError(f"{unit.name} không phải là thành viên của {locked.group_year}.")
    signer_name = _clean_text(signer_name, label="họ tên người ký")
    position = _clean_text(position, label="chức vụ")
    if signed_on > timezone.localdate():
        raise SigningError(f"Ngày ký {format_date(signed_on)} chưa đến.")
    try:
        with transaction.atomic():
            signature = CovenantSignature.objects.create(
                covenant=locked, unit=unit, signer_name=signer_name, position=position, signed_on=signed_on,
                user=actor,
            )
    except IntegrityError:
        existing = CovenantSignature.objects.filter(covenant=locked, unit=unit).first()
        who = f" ({existing.signer_name}, ngày {format_date(existing.signed_on)})" if existing else ""
        raise SigningError(f"{unit.name} đã ký giao ước{who}; mỗi đơn vị chỉ ký một lần.") from None
    audit_log(
        action="covenant.signature_added", actor=actor, target=locked,
        summary=f"{unit.name} ký giao ước: {signer_name}, {position}, ngày {format_date(signed_on)}",
        data={"unit": unit.code, "signer_name": signer_name, "position": position,
              "signed_on": signed_on.isoformat(), "signature": signature.pk},
    )
    signed_units = set(locked.signatures.values_list("unit_id", flat=True))
    if locked.status == CovenantStatus.DRAFT and member_ids <= signed_units:
        last_day = locked.signatures.aggregate(last=Max("signed_on"))["last"]
        covenant_services.covenant_sign(covenant=locked, actor=actor, signed_on=last_day)
    covenant.refresh_from_db()
    return signature


# ------------------------------------------------------------------------------ the PDF

_TERRITORIAL = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)
_PLACE_PREFIX = re.compile(r"^(tỉnh|thành phố|tp\.?|huyện|thị xã|quận|xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE)
_PLACE_IN_TEXT = re.compile(r"(?:tỉnh|thành phố)\s+(.+)$", re.IGNORECASE)


def document_place(group: Group) -> str:
    """The place name before the date (Decree 30: where the issuing body sits): the organiser
    unit's territory without its prefix ("Tỉnh Kiên Giang" → "Kiên Giang"), else read from the
    organiser's name ("UBND tỉnh Kiên Giang" → "Kiên Giang"), else nothing."""
    unit = group.organiser_unit
    while unit is not None and unit.kind not in _TERRITORIAL:
        unit = unit.parent
    if unit is not None:
        return _PLACE_PREFIX.sub("", unit.name).strip()
    match = _PLACE_IN_TEXT.search(group.organiser or "")
    return match.group(1).strip() if match else ""


def document_organiser(group: Group) -> str:
    """The body above the group in the header (Decree 30, first line), in upper case."""
    if group.organiser:
        return group.organiser.upper()
    unit = group.organiser_unit
    if unit is None:
        return ""
    return f"UBND {unit.name}".upper() if unit.kind in _TERRITORIAL else unit.name.upper()


def covenant_pdf_html(covenant: Covenant) -> str:
    """The covenant as the HTML WeasyPrint turns into PDF (templates/documents/covenant_pdf.html)."""
    group_year = covenant.group_year
    group = group_year.group
    rows = covenant_signature_rows(covenant)
    criteria = criteria_of(covenant)
    contents = [
        {"content": content, "criteria": [c for c in criteria if c.content_id == content.pk]}
        for content in covenant.contents.all()
    ]
    dates = [row.signature.signed_on for row in rows if row.signature]
    day = covenant.signed_on or (max(dates) if dates else None)
    place = document_place(group)
    if day is not None:
        date_line = format_long_date(day, place=place)
    else:
        blank = "ngày ….. tháng ….. năm ……"
        date_line = f"{place}, {blank}" if place else blank
    context = {
        "covenant": covenant,
        "gy": group_year,
        "group": group,
        # The Decree 30 header (templates/documents/_pdf_header.html), as thidua.documents.minutes.Header.
        "header": {"organiser": document_organiser(group), "issuer": group.name.upper(), "date_line": date_line},
        "contents": contents,
        "total": sum((content.max_points for content in covenant.contents.all()), start=0),
        "rows": rows,
        "is_draft": covenant.status == CovenantStatus.DRAFT,
    }
    return render_to_string("documents/covenant_pdf.html", context)


def covenant_pdf(covenant: Covenant) -> bytes:
    """The covenant, its criteria and the members' signatures as a PDF (Decree 30 format)."""
    from thidua.documents.pdf import html_to_pdf  # WeasyPrint loads Pango: only when a PDF is asked for

    return html_to_pdf(covenant_pdf_html(covenant))
