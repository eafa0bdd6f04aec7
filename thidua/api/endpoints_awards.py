"""The API's award resources (issue #8): people and collectives with their history, their
eligibility for a year from the engine (thidua.awards.eligibility) with its reasons, and award
dossiers (list, detail, status; changes go through the pages' workflow).

Scope: the same selectors as the pages. People and collectives: `awards.selectors.people_for` /
`collectives_for` (the units of `policy.units_for` and the units they succeed); dossiers:
`awards.access.dossiers_for`. Outside scope is 404, as for groups.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import Path, Query, Router

from thidua.api import schemas as s
from thidua.api import schemas_awards as sa
from thidua.api.endpoints import ERRORS, unit_ref
from thidua.awards import access as dossier_access
from thidua.awards import codes
from thidua.awards import selectors as award_selectors
from thidua.awards.models import Collective, Dossier, Person
from thidua.awards.records import CollectiveHistory, Grant, PersonHistory
from thidua.awards.workflows import workflow_by_key
from thidua.org.collation import vi_order
from thidua.org.models import User
from thidua.org.selectors import current_year

router = Router()
PEOPLE, AWARDS, DOSSIERS = ["Cá nhân"], ["Tập thể, xét khen thưởng"], ["Hồ sơ khen thưởng"]


def _user(request: HttpRequest) -> User:
    return request.auth


def _id(description: str):
    return Path(..., pattern=s.ID_PATTERN, description=description)


def _page(queryset, page: s.PageQuery, out) -> dict:
    count = queryset.count()
    rows = queryset[page.offset:page.offset + page.limit]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": [out(row) for row in rows]}


def _filtered(queryset, filters: sa.SubjectQuery):
    if filters.unit:
        queryset = queryset.filter(unit__code=filters.unit)
    if filters.q and filters.q.strip():
        needle = filters.q.strip()
        queryset = queryset.filter(Q(name__icontains=needle) | Q(external_id__icontains=needle))
    return queryset


# ------------------------------------------------------------------------------ history as JSON


def _ratings(ratings) -> list[dict]:
    return [{"year": year, "rating": rating, "rating_label": codes.RATING_NAMES.get(rating, rating)}
            for year, rating in sorted(ratings.items())]


def _grants(grants: tuple[Grant, ...]) -> list[dict]:
    return [{"code": g.code, "name": codes.code_name(g.code), "kind": codes.CODES[g.code].kind if g.code in codes.CODES
             else "", "year": g.year, "decision": g.decision, "decision_date": g.decision_date,
             "authority": g.authority, "basis": g.basis} for g in grants]


def _discipline(records) -> list[dict]:
    return [{"year": d.year, "level": d.level, "level_label": codes.DISCIPLINE_NAMES.get(d.level, d.level)}
            for d in records]


def person_summary(person: Person) -> dict:
    return {"id": person.external_id, "name": person.name, "unit": unit_ref(person.unit), "position": person.position}


def collective_summary(collective: Collective) -> dict:
    return {"id": collective.external_id, "name": collective.name, "unit": unit_ref(collective.unit),
            "part_of": collective.part_of}


def _history(person: Person | None = None, collective: Collective | None = None) -> PersonHistory | CollectiveHistory:
    """The subject's history as the eligibility engine reads it (one query per table)."""
    if person is not None:
        return award_selectors.history_of(people=Person.objects.filter(pk=person.pk),
                                          collectives=Collective.objects.none()).people[0]
    return award_selectors.history_of(people=Person.objects.none(),
                                      collectives=Collective.objects.filter(pk=collective.pk)).collectives[0]


# ------------------------------------------------------------------------------ people


@router.get("/people", response={200: sa.PersonPage, **ERRORS}, tags=PEOPLE, operation_id="people_list",
            summary="Các cá nhân trong phạm vi của bạn")
def people_list(request, filters: Query[sa.SubjectQuery], page: Query[s.PageQuery]):
    people = _filtered(award_selectors.people_for(_user(request)), filters)
    people = people.select_related("unit").order_by(vi_order("name"), "external_id")
    return _page(people, page, person_summary)


@router.get("/people/{id}", response={200: sa.PersonOut, **ERRORS}, tags=PEOPLE, operation_id="person_detail",
            summary="Một cá nhân: xếp loại, danh hiệu, khen thưởng, sáng kiến, kỷ luật qua các năm")
def person_detail(request, id: str = _id("Mã cá nhân.")):
    person = award_selectors.person_get_for_user(_user(request), external_id=id)
    history = _history(person=person)
    return {
        **person_summary(person), "birth_year": person.birth_year, "direct_worker": person.direct_worker,
        "hired_on": person.hired_on, "collective": history.collective,
        "ratings": _ratings(history.ratings), "titles": _grants(history.titles), "awards": _grants(history.awards),
        "initiatives": [{"id": i.id, "year": i.year, "scope": i.scope,
                         "scope_label": codes.SCOPE_NAMES.get(i.scope, i.scope), "recognised_by": i.recognised_by,
                         "used_by": i.used_by} for i in history.initiatives],
        "discipline": _discipline(history.discipline),
    }


def assessment_out(found: award_selectors.SubjectAssessment, *, subject: str) -> dict:
    return {
        "id": found.history.id, "subject": subject, "name": found.history.name, "year": found.year,
        "rule_set": found.rule_set.key, "basis": found.rule_set.basis,
        "results": [{"code": r.code, "name": codes.code_name(r.code), "eligible": r.eligible,
                     "override_possible": r.override_possible, "reasons": list(r.reasons),
                     "checks": [{"key": c.key, "met": c.met, "text": c.text, "years": list(c.years),
                                 "article": c.article, "route": c.route, "prerequisite": c.prerequisite}
                                for c in r.checks]} for r in found.results],
        "warnings": [w.text for w in found.warnings],
    }


@router.get("/people/{id}/eligibility", response={200: sa.AssessmentOut, **ERRORS}, tags=PEOPLE,
            operation_id="person_eligibility",
            summary="Cá nhân có đủ điều kiện từng danh hiệu, hình thức khen thưởng trong năm xét không, và vì sao")
def person_eligibility(request, when: Query[sa.AssessYearQuery], id: str = _id("Mã cá nhân.")):
    person = award_selectors.person_get_for_user(_user(request), external_id=id)
    found = award_selectors.person_assessment(person=person, year=when.year or current_year())
    return assessment_out(found, subject=codes.PERSON)


# ------------------------------------------------------------------------------ collectives


@router.get("/collectives", response={200: sa.CollectivePage, **ERRORS}, tags=AWARDS,
            operation_id="collectives_list", summary="Các tập thể trong phạm vi của bạn")
def collectives_list(request, filters: Query[sa.SubjectQuery], page: Query[s.PageQuery]):
    collectives = _filtered(award_selectors.collectives_for(_user(request)), filters)
    collectives = collectives.select_related("unit").order_by(vi_order("name"), "external_id")
    return _page(collectives, page, collective_summary)


@router.get("/collectives/{id}", response={200: sa.CollectiveOut, **ERRORS}, tags=AWARDS,
            operation_id="collective_detail",
            summary="Một tập thể: xếp loại, danh hiệu, khen thưởng, kỷ luật, các năm dẫn đầu cụm, khối")
def collective_detail(request, id: str = _id("Mã tập thể.")):
    collective = award_selectors.collective_get_for_user(_user(request), external_id=id)
    history = _history(collective=collective)
    return {
        **collective_summary(collective), "ratings": _ratings(history.ratings), "titles": _grants(history.titles),
        "awards": _grants(history.awards), "discipline": _discipline(history.discipline),
        "leading_unit_years": list(history.leading_unit),
    }


@router.get("/collectives/{id}/eligibility", response={200: sa.AssessmentOut, **ERRORS}, tags=AWARDS,
            operation_id="collective_eligibility",
            summary="Tập thể có đủ điều kiện từng danh hiệu, hình thức khen thưởng trong năm xét không, và vì sao")
def collective_eligibility(request, when: Query[sa.AssessYearQuery], id: str = _id("Mã tập thể.")):
    collective = award_selectors.collective_get_for_user(_user(request), external_id=id)
    found = award_selectors.collective_assessment(collective=collective, year=when.year or current_year())
    return assessment_out(found, subject=codes.COLLECTIVE)


# ------------------------------------------------------------------------------ dossiers


def _step_name(dossier: Dossier) -> str:
    try:
        return workflow_by_key(dossier.workflow).procedures[dossier.procedure].step(dossier.step).name
    except KeyError:  # a workflow set no longer shipped: the key is all there is
        return dossier.step


def dossier_summary(dossier: Dossier) -> dict:
    subject = dossier.subject
    group_year = dossier.group_year
    return {
        "id": dossier.pk, "code": dossier.code, "name": codes.code_name(dossier.code), "year": dossier.year,
        "subject": dossier.subject_kind, "subject_id": subject.external_id, "subject_name": subject.name,
        "unit": unit_ref(dossier.unit), "group": group_year.group.code if group_year else None,
        "group_year": group_year.year if group_year else None, "procedure": dossier.procedure,
        "procedure_label": dossier.get_procedure_display(), "step": dossier.step, "step_name": _step_name(dossier),
        "status": dossier.status, "status_label": dossier.get_status_display(), "step_since": dossier.step_since,
        "due_on": dossier.due_on, "flagged": dossier.flagged,
    }


def _dossier(request, pk: int) -> Dossier:
    return dossier_access.get_dossier_for_user(_user(request), pk=pk)


@router.get("/dossiers", response={200: sa.DossierPage, **ERRORS}, tags=DOSSIERS, operation_id="dossiers_list",
            summary="Các hồ sơ đề nghị khen thưởng trong phạm vi của bạn")
def dossiers_list(request, filters: Query[sa.DossierQuery], page: Query[s.PageQuery]):
    dossiers = dossier_access.dossiers_for(_user(request))
    if filters.year is not None:
        dossiers = dossiers.filter(year=filters.year)
    if filters.status:
        dossiers = dossiers.filter(status=filters.status)
    dossiers = dossiers.select_related("person", "collective", "unit", "group_year__group").order_by("-year", "-pk")
    return _page(dossiers, page, dossier_summary)


@router.get("/dossiers/{pk}", response={200: sa.DossierOut, **ERRORS}, tags=DOSSIERS, operation_id="dossier_detail",
            summary="Một hồ sơ: bước hiện tại, lịch sử xử lý kèm lý do, tài liệu, quyết định")
def dossier_detail(request, pk: int = Path(..., ge=1, le=2**31 - 1, description="Số hồ sơ.")):
    dossier = _dossier(request, pk)
    decision = getattr(dossier, "decision", None)  # none yet: the reverse one-to-one raises AttributeError
    return {
        **dossier_summary(dossier), "source": dossier.source, "workflow": dossier.workflow,
        "summary": dossier.summary, "override_reason": dossier.override_reason, "flag_reason": dossier.flag_reason,
        "consultation_from": dossier.consultation_from, "consultation_to": dossier.consultation_to,
        "created_at": dossier.created_at,
        "history": [{"action": step.action, "action_label": step.get_action_display(), "from_step": step.from_step,
                     "to_step": step.to_step, "at": step.at, "actor": str(step.actor) if step.actor else None,
                     "reason": step.reason} for step in dossier.steps.select_related("actor")],
        "documents": [{"kind": doc.kind, "step": doc.step, "name": doc.original_name,
                       "content_type": doc.content_type, "size": doc.size, "uploaded_at": doc.uploaded_at}
                      for doc in dossier.documents.order_by("uploaded_at", "pk")],
        "decision": {"number": decision.number, "date": decision.date, "authority": decision.authority}
        if decision else None,
    }


@router.get("/dossiers/{pk}/status", response={200: sa.DossierStatusOut, **ERRORS}, tags=DOSSIERS,
            operation_id="dossier_status", summary="Trạng thái và bước hiện tại của một hồ sơ")
def dossier_status(request, pk: int = Path(..., ge=1, le=2**31 - 1, description="Số hồ sơ.")):
    dossier = _dossier(request, pk)
    return {"id": dossier.pk, "status": dossier.status, "status_label": dossier.get_status_display(),
            "step": dossier.step, "step_name": _step_name(dossier), "step_since": dossier.step_since,
            "due_on": dossier.due_on, "pending": dossier.pending}
