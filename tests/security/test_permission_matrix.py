"""The permission matrix (issue #8): every page, every role, the allowed and the refused case,
including another unit, another group and another year.

Each row below is one page with one target; its cells are what each actor gets, in the order of
the columns. Cells:  200, 302 (a redirect that is not the login page), 302! (a redirect back with
an error message: allowed in, refused by the rules of the step, nothing changed), 400, 403 (may
see, may not do), 404 (outside scope: existence not revealed), → (sent to the login page).

The matrix is complete by construction: `test_every_page_is_in_the_matrix` walks the URL resolver
and fails for any named page without a row, so a new page cannot ship without deciding who gets it.
To register a page, add one `row(...)` line; a failing row prints what every actor actually got.
Each cell is a decision, not a snapshot: check it against thidua.org.policy and DOMAIN.md ("Who
uses it") before writing it down. Found this way and fixed in the policy: a group's readers opened
members' score sheets (their figures) and read people's award records and dossiers.

Columns: anon(ymous), out(sider: signed in, no role), r(ea)d(e)r of G1, off(icer of unit) A, h(ea)d
of A, officer of B, officer of C (G2), l(ea)d(e)r: officer of G1's leading unit in 2024 only,
c(ou)n(ci)l member following G1, Board officer of province P, nat(ional) B(oard, also Django staff).

The world (tests/security/world.py): G1 (province P: units A, B), G2 (province Q: units C, D),
2024 and 2025. Targets are written `G1/2024/P-A`; `{G1_open}` and the like are ids of the world's
ballots, vetoes and evidence.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import PDF

COLUMNS = ("anonymous", "outsider", "reader_g1", "officer_a", "head_a", "officer_b", "officer_c",
           "leader_g1_2024", "council_g1", "board_p", "national_board")
ALLOWED = {"200", "302", "302!"}
REFUSED = {"403", "404", "→"}


class Row(NamedTuple):
    name: str
    target: str
    cells: str
    method: str = "GET"
    data: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.name} {self.target}".strip()


def row(name: str, target: str, cells: str, method: str = "GET", data: dict | None = None) -> Row:
    return Row(name, target, " ".join(cells.split()), method, data)


def post(name: str, target: str, cells: str, data: dict | None = None) -> Row:
    return row(name, target, cells, "POST", data)


UPLOAD = {"file": PDF}  # bytes become a fresh uploaded file for each request
SCORE = {"unit": "P-A", "criterion": "II.1", "points": "40", "reason": "Theo biên bản thẩm định"}
SIGNATURE = {"signer_name": "Nguyễn Văn Ký", "position": "Chủ tịch UBND huyện", "signed_on": "15/01/2024"}

# columns:                                                    anon out  rdr  offA hdA  offB offC ldr  cnl  brdP natB
PAGES = [
    # organisation
    row("dashboard", "",                                     "→    200  200  200  200  200  200  200  200  200  200"),
    row("group_year_list", "",                               "→    200  200  200  200  200  200  200  200  200  200"),
    row("group_year_detail", "G1/2024",                      "→    404  200  200  200  200  404  200  200  200  200"),
    row("group_year_detail", "G1/2025",                      "→    404  200  200  200  200  404  404  200  200  200"),
    row("group_year_detail", "G2/2024",                      "→    404  404  404  404  404  200  404  404  404  200"),
    row("unit_detail", "P-A",                                "→    404  200  200  200  404  404  200  200  200  200"),
    row("unit_detail", "P-B",                                "→    404  200  404  404  200  404  200  200  200  200"),
    row("unit_detail", "Q-C",                                "→    404  404  404  404  404  200  404  404  404  200"),
    # covenant
    row("covenant_detail", "G1/2024",                        "→    404  200  200  200  200  404  200  200  200  200"),
    row("covenant_detail", "G2/2024",                        "→    404  404  404  404  404  200  404  404  404  200"),
    post("covenant_create", "G2/2025",                       "→    404  404  404  404  404  403  404  404  404  302"),
    post("covenant_create", "G1/2025",                       "→    404  403  403  403  403  404  404  403  302! 302!"),
    post("covenant_sign", "G1/2024",                         "→    404  403  403  403  403  404  302  403  302  302"),
    post("covenant_sign", "G1/2025",                         "→    404  403  403  403  403  404  404  403  302  302"),
    post("covenant_copy_forward", "G1/2024",                 "→    404  403  403  403  403  404  302! 403  302! 302!"),
    row("criterion_add", "G1/2024",                          "→    404  403  403  403  403  404  200  403  200  200"),
    row("criterion_add", "G1/2025",                          "→    404  403  403  403  403  404  404  403  200  200"),
    row("criterion_edit", "G1/2024/I.1",                     "→    404  403  403  403  403  404  200  403  200  200"),
    row("criterion_edit", "G2/2024/I.1",                     "→    404  404  404  404  404  403  404  404  404  200"),
    post("criterion_edit", "G1/2024/I.1",                    "→    404  403  403  403  403  404  200  403  200  200"),
    row("content_add", "G1/2024",                            "→    404  403  403  403  403  404  200  403  200  200"),
    row("content_edit", "G1/2024/I",                         "→    404  403  403  403  403  404  200  403  200  200"),
    row("content_edit", "G1/2025/I",                         "→    404  403  403  403  403  404  404  403  200  200"),
    post("content_edit", "G1/2024/I",                       "→    404  403  403  403  403  404  200  403  200  200"),
    row("method_example", "G1/2024",                         "→    404  403  403  403  403  404  200  403  200  200"),
    # data entry and the report workflow
    row("group_data", "G1/2024",                             "→    404  403  403  403  403  404  200  403  200  200"),
    row("group_data", "G1/2025",                             "→    404  403  403  403  403  404  404  403  200  200"),
    row("group_data", "G2/2024",                             "→    404  404  404  404  404  403  404  404  404  200"),
    post("group_data", "G1/2024",                           "→    404  403  403  403  403  404  302  403  302  302"),
    row("data_entry", "G1/2024/P-A",                         "→    404  404  200  200  404  404  200  200  200  200"),
    row("data_entry", "G1/2024/P-B",                         "→    404  404  404  404  200  404  200  200  200  200"),
    row("data_entry", "G1/2025/P-A",                         "→    404  404  200  200  404  404  404  200  200  200"),
    row("data_entry", "G2/2024/Q-C",                         "→    404  404  404  404  404  200  404  404  404  200"),
    post("cell_save", "G1/2024/P-A/I.1",                     "→    404  404  200  200  404  404  403  403  403  403", {"field": "note", "value": "x"}),
    post("cell_save", "G1/2024/P-B/I.1",                     "→    404  404  404  404  200  404  403  403  403  403", {"field": "note", "value": "x"}),
    post("cell_save", "G2/2024/Q-C/I.1",                     "→    404  404  404  404  404  200  404  404  404  403", {"field": "note", "value": "x"}),
    row("result_history", "G1/2024/P-A/I.1",                 "→    404  404  200  200  404  404  200  200  200  200"),
    row("result_history", "G1/2024/P-B/I.1",                 "→    404  404  404  404  200  404  200  200  200  200"),
    row("result_history", "G2/2024/Q-C/I.1",                 "→    404  404  404  404  404  200  404  404  404  200"),
    post("report_action", "G1/2024/P-A/gui",                 "→    404  404  403  302  404  404  403  403  403  403"),
    post("report_action", "G1/2024/P-B/gui",                 "→    404  404  404  404  403  404  403  403  403  403"),
    post("report_action", "G1/2024/P-A/chap-nhan",           "→    404  404  403  403  404  404  302! 403  403  403"),
    post("report_action", "G1/2025/P-A/chap-nhan",           "→    404  404  403  403  404  404  404  403  403  403"),
    post("report_action", "G1/2024/P-A/mo-lai",              "→    404  404  403  403  404  404  403  403  302! 302!", {"reason": "Sửa số liệu"}),
    # evidence
    post("evidence_upload", "G1/2024/P-A/I.1",               "→    404  403  302  302  404  404  403  403  403  403", UPLOAD),
    post("evidence_upload", "G1/2024/P-B/I.1",               "→    404  403  404  404  302  404  403  403  403  403", UPLOAD),
    post("evidence_upload", "G2/2024/Q-C/I.1",               "→    404  404  404  404  404  302  404  404  404  403", UPLOAD),
    row("evidence_download", "G1/2024/P-A/{G1_evidence}",    "→    404  403  200  200  404  404  200  200  200  200"),
    row("evidence_download", "G1/2025/P-A/{G1_2025_evidence}", "→    404  403  200  200  404  404  404  200  200  200"),
    row("evidence_download", "G2/2024/Q-C/{G2_evidence}",    "→    404  404  404  404  404  200  404  404  404  200"),
    row("evidence_download", "G1/2024/P-B/{G1_evidence}",    "→    404  403  404  404  404  404  404  404  404  404"),
    post("evidence_delete", "G1/2024/P-A/{G1_evidence}",     "→    404  403  302  302  404  404  403  403  403  403"),
    post("evidence_delete", "G2/2024/Q-C/{G2_evidence}",     "→    404  404  404  404  404  302  404  404  404  403"),
    # the Excel round trip
    row("results_excel", "G1/2024",                          "→    404  403  200  200  200  404  200  200  200  200"),
    row("results_excel", "G2/2024",                          "→    404  404  404  404  404  200  404  404  404  200"),
    post("results_excel", "G1/2024",                        "→    404  403  200  200  200  404  403  403  403  403", UPLOAD),
    row("results_excel_template", "G1/2024",                 "→    404  403  403  403  403  404  200  403  200  200"),
    row("results_excel_template", "G1/2025",                 "→    404  403  403  403  403  404  404  403  200  200"),
    row("results_excel_unit_template", "G1/2024/P-A",        "→    404  403  200  200  404  404  200  200  200  200"),
    row("results_excel_unit_template", "G1/2024/P-B",        "→    404  403  404  404  200  404  200  200  200  200"),
    row("results_excel_unit_template", "G2/2024/Q-C",       "→    404  404  404  404  404  200  404  404  404  200"),
    post("results_excel_confirm", "G1/2024",                 "→    404  302! 302! 302! 302! 404  302! 302! 302! 302!"),
    # scores
    row("ranking", "G1/2024",                                "→    404  200  200  200  200  404  200  200  200  200"),
    row("ranking", "G2/2024",                                "→    404  404  404  404  404  200  404  404  404  200"),
    row("score_sheet", "G1/2024/P-A",                        "→    404  404  200  200  404  404  200  200  200  200"),
    row("score_sheet", "G1/2024/P-B",                        "→    404  404  404  404  200  404  200  200  200  200"),
    row("score_sheet", "G2/2024/Q-C",                        "→    404  404  404  404  404  200  404  404  404  200"),
    row("stages_index", "G1/2024",                           "→    404  200  200  200  200  404  200  200  200  200"),
    row("stages_index", "G2/2024",                           "→    404  404  404  404  404  200  404  404  404  200"),
    row("stages_pairs", "G1/2024",                           "→    404  403  403  403  403  404  200  403  403  403"),
    row("stages_pairs", "G1/2025",                           "→    404  403  403  403  403  404  404  403  403  403"),
    post("stages_pairs", "G1/2024",                         "→    404  403  403  403  403  404  200  403  403  403"),
    row("stages_reconcile", "G1/2024",                       "→    404  403  403  403  403  404  200  403  403  403"),
    row("stages_reconcile", "G1/2025",                       "→    404  403  403  403  403  404  404  403  403  403"),
    post("stages_reconcile", "G1/2024",                     "→    404  403  403  403  403  404  200  403  403  403", SCORE),
    row("stages_appraise", "G1/2024",                        "→    404  403  403  403  403  404  403  403  200  200"),
    row("stages_appraise", "G2/2024",                        "→    404  404  404  404  404  403  404  404  404  200"),
    post("stages_appraise", "G1/2024",                      "→    404  403  403  403  403  404  403  403  302  302", SCORE),
    row("stages_unit", "G1/2024/P-A",                        "→    404  403  200  200  404  404  403  403  403  403"),
    row("stages_unit", "G1/2024/P-B",                        "→    404  403  404  404  200  404  403  403  403  403"),
    row("stages_unit", "G2/2024/Q-C",                        "→    404  404  404  404  404  200  404  404  404  403"),
    post("stages_unit", "G1/2024/P-A",                      "→    404  403  302  302  404  404  403  403  403  403", {"stage": "self", **SCORE}),
    # ballots
    row("ballot_list", "G1/2024",                            "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_list", "G2/2024",                            "→    404  404  404  404  404  200  404  404  404  200"),
    row("ballot_create", "G1/2024",                          "→    404  403  403  403  403  404  200  403  403  403"),
    row("ballot_create", "G1/2025",                          "→    404  403  403  403  403  404  404  403  403  403"),
    post("ballot_create", "G1/2024",                        "→    404  403  403  403  403  404  200  403  403  403"),
    row("ballot_detail", "G1/2024/{G1_open}",                "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_detail", "G2/2024/{G2_open}",                "→    404  404  404  404  404  200  404  404  404  200"),
    row("ballot_detail", "G1/2024/{G2_open}",                "→    404  404  404  404  404  404  404  404  404  404"),
    post("ballot_vote", "G1/2024/{G1_open}",                 "→    404  403  403  200  403  404  403  403  403  403", {"unit": "P-A", "blank": "1"}),
    post("ballot_vote", "G1/2024/{G1_open}",                 "→    404  403  403  403  403  404  403  403  403  403", {"unit": "P-B", "blank": "1"}),
    post("ballot_vote", "G2/2024/{G2_open}",                 "→    404  404  404  404  404  403  404  404  404  403", {"unit": "Q-C", "blank": "1"}),
    post("ballot_delegate", "G1/2024/{G1_open}",             "→    404  403  403  403  403  404  302  403  403  403", {"delegate": "P-B|"}),
    post("ballot_delegate", "G2/2024/{G2_open}",             "→    404  404  404  404  404  403  404  404  404  403", {"delegate": "Q-D|"}),
    post("ballot_receipt_check", "G1/2024/{G1_closed}",      "→    404  200  200  200  200  404  200  200  200  200", {"receipt": "ABCD"}),
    row("ballot_paper", "G1/2024/{G1_paper}",                "→    404  403  403  403  403  404  200  403  200  200"),
    row("ballot_paper", "G2/2024/{G2_paper}",                "→    404  404  404  404  404  403  404  404  404  200"),
    post("ballot_paper", "G1/2024/{G1_paper}",               "→    404  403  403  403  403  404  200  403  200  200"),
    row("ballot_result", "G1/2024/{G1_closed}",              "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_result", "G1/2024/{G1_open}",                "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_result", "G2/2024/{G2_closed}",              "→    404  404  404  404  404  200  404  404  404  200"),
    post("ballot_action", "G1/2024/{G1_open}/ket-thuc",      "→    404  403  403  403  403  404  302  403  403  403"),
    post("ballot_action", "G2/2024/{G2_open}/ket-thuc",      "→    404  404  404  404  404  403  404  404  404  403"),
    # proposals and rotation
    row("conference_proposals", "G1/2024",                   "→    404  403  403  403  403  404  200  403  200  200"),
    row("conference_proposals", "G1/2025",                   "→    404  403  403  403  403  404  404  403  200  200"),
    row("conference_proposals", "G2/2024",                   "→    404  404  404  404  404  403  404  404  404  200"),
    post("conference_proposals_rules", "G1/2024",            "→    404  403  403  403  403  404  200  403  200  200"),
    post("conference_veto_add", "G1/2024",                   "→    404  403  403  403  403  404  200  403  200  200"),
    post("conference_veto_remove", "G1/2024/{G1_veto}",      "→    404  403  403  403  403  404  302  403  302  302"),
    post("conference_veto_remove", "G2/2024/{G2_veto}",      "→    404  404  404  404  404  403  404  404  404  302"),
    post("conference_proposals_build", "G1/2024",            "→    404  403  403  403  403  404  302  403  302  302"),
    row("conference_rotation", "G1/2024",                    "→    404  403  403  403  403  404  200  403  200  200"),
    row("conference_rotation", "G1/2025",                    "→    404  403  403  403  403  404  404  403  200  200"),
    post("conference_rotation", "G1/2024",                  "→    404  403  403  403  403  404  200  403  200  200"),
    # signing and the covenant's documents
    row("covenant_signing", "G1/2024",                       "→    404  200  200  200  200  404  200  200  200  200"),
    post("covenant_signing", "G1/2024",                      "→    404  403  403  200  403  404  403  403  403  403", {"unit": "P-A", **SIGNATURE}),
    post("covenant_signing", "G1/2024",                      "→    404  403  403  403  403  404  403  403  403  403", {"unit": "P-B", **SIGNATURE}),
    row("covenant_signing", "G2/2024",                       "→    404  404  404  404  404  200  404  404  404  200"),
    row("covenant_pdf", "G1/2024",                           "→    404  200  200  200  200  404  200  200  200  200"),
    row("covenant_pdf", "G2/2024",                           "→    404  404  404  404  404  200  404  404  404  200"),
    row("covenant_docx", "G1/2024",                          "→    404  200  200  200  200  404  200  200  200  200"),
    row("covenant_docx", "G1/2025",                          "→    404  200  200  200  200  404  404  200  200  200"),
    # documents
    row("report_edit", "G1/2024",                            "→    404  403  403  403  403  404  200  403  200  200"),
    row("report_edit", "G1/2025",                            "→    404  403  403  403  403  404  404  403  200  200"),
    row("report_edit", "G2/2024",                            "→    404  404  404  404  404  403  404  404  404  200"),
    post("report_edit", "G1/2024",                          "→    404  403  403  403  403  404  302  403  302  302"),
    row("report_docx", "G1/2024",                            "→    404  200  200  200  200  404  200  200  200  200"),
    row("report_pdf", "G1/2024",                             "→    404  200  200  200  200  404  200  200  200  200"),
    row("report_pdf", "G2/2024",                             "→    404  404  404  404  404  200  404  404  404  200"),
    row("ballot_minutes_docx", "G1/2024/{G1_closed}",        "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_minutes_pdf", "G1/2024/{G1_closed}",         "→    404  200  200  200  200  404  200  200  200  200"),
    row("ballot_minutes_pdf", "G2/2024/{G2_closed}",         "→    404  404  404  404  404  200  404  404  404  200"),
    row("ballot_minutes_pdf", "G1/2024/{G1_open}",           "→    404  404  404  404  404  404  404  404  404  404"),
    row("proposal_letter_docx", "G1/2024",                   "→    404  403  403  403  403  404  200  403  200  200"),
    row("proposal_letter_pdf", "G1/2024",                    "→    404  403  403  403  403  404  200  403  200  200"),
    row("proposal_letter_pdf", "G2/2024",                    "→    404  404  404  404  404  403  404  404  404  200"),
    row("score_table_xlsx", "G1/2024",                       "→    404  200  200  200  200  404  200  200  200  200"),
    row("score_table_xlsx", "G1/2025",                       "→    404  200  200  200  200  404  404  200  200  200"),
    row("score_table_xlsx", "G2/2024",                       "→    404  404  404  404  404  200  404  404  404  200"),
    # award history (issue #7): people's records, not for readers
    row("awards_list", "",                                   "→    200  200  200  200  200  200  200  200  200  200"),
    row("awards_person", "NV001",                            "→    404  404  200  200  404  404  200  200  200  200"),
    row("awards_person", "NV007",                            "→    404  404  404  404  200  404  200  200  200  200"),
    row("awards_person", "NV900",                            "→    404  404  404  404  404  200  404  404  404  200"),
    row("awards_collective", "TT01",                         "→    404  404  200  200  404  404  200  200  200  200"),
    row("awards_collective", "TT09",                         "→    404  404  404  404  404  200  404  404  404  200"),
    row("awards_statistics", "",                             "→    200  200  200  200  200  200  200  200  200  200"),
    row("awards_excel", "",                                  "→    403  403  200  200  200  200  403  403  200  200"),
    row("awards_excel_template", "",                         "→    403  403  200  200  200  200  403  403  200  200"),
    post("awards_excel_confirm", "",                         "→    403  403  302! 302! 302! 302! 403  403  302! 302!"),
    post("awards_excel", "",                                 "→    403  403  200  200  200  200  403  403  200  200", UPLOAD),
    # award dossiers
    row("dossier_inbox", "",                                 "→    200  200  200  200  200  200  200  200  200  200"),
    row("dossier_new", "",                                   "→    403  403  200  200  200  200  403  403  200  200"),
    post("dossier_new", "",                                  "→    403  403  400  400  400  400  403  403  400  400"),
    row("dossier_detail", "{dossier_a}",                     "→    404  404  200  200  404  404  200  200  200  200"),
    row("dossier_detail", "{dossier_c}",                     "→    404  404  404  404  404  200  404  404  404  200"),
    post("dossier_attach", "{dossier_a}",                    "→    404  404  302  302  404  404  403  403  403  403", {"kind": "bao_cao_03", "file": PDF}),
    post("dossier_attach", "{dossier_c}",                    "→    404  404  404  404  404  302  404  404  404  403", {"kind": "bao_cao_03", "file": PDF}),
    row("dossier_document", "{dossier_a}/{document_a}",      "→    404  404  200  200  404  404  200  200  200  200"),
    row("dossier_document", "{dossier_c}/{document_a}",      "→    404  404  404  404  404  404  404  404  404  404"),
    post("dossier_advance", "{dossier_a}",                   "→    404  404  302! 302! 404  404  403  403  403  403"),
    post("dossier_return", "{dossier_a}",                    "→    404  404  302! 302! 404  404  403  403  403  403", {"reason": "Thiếu báo cáo"}),
    post("dossier_consultation", "{dossier_a}",              "→    404  404  302! 302! 404  404  403  403  403  403"),
    post("dossier_override", "{dossier_a}",                  "→    404  404  403  403  404  404  403  403  302  302", {"reason": "Thành tích đột xuất"}),
    post("dossier_decide", "{dossier_a}",                    "→    404  404  302! 302! 404  404  302! 302! 302! 302!"),
    post("dossier_reject", "{dossier_a}",                    "→    404  404  302  302  404  404  403  403  403  403", {"reason": "Không đủ tiêu chuẩn"}),
    post("dossier_withdraw", "{dossier_a}",                  "→    404  404  302  302  404  404  403  403  403  403", {"reason": "Đơn vị rút đề nghị"}),
    post("dossier_withdraw", "{dossier_c}",                  "→    404  404  404  404  404  302  404  404  404  403", {"reason": "Đơn vị rút đề nghị"}),
    post("dossier_facts", "{dossier_mother}",                "→    404  404  302  302  404  404  403  403  302  302"),
    post("dossier_facts", "{dossier_c}",                     "→    404  404  404  404  404  302! 404  404  404  302!"),
    post("award_revoke", "{dossier_a}/{grant_a}",            "→    404  404  403  403  404  404  403  403  302  302", {"reason": "Sai sót hồ sơ"}),
    post("award_revoke", "{dossier_c}/{grant_a}",            "→    404  404  404  404  404  404  404  404  404  404", {"reason": "Sai sót hồ sơ"}),
    row("dossier_from_conference", "G1/2024",                "→    404  403  403  403  403  404  200  403  200  200"),
    row("dossier_from_conference", "G2/2024",                "→    404  404  404  404  404  403  404  404  404  200"),
    post("dossier_from_conference", "G1/2024",              "→    404  403  403  403  403  404  302  403  302  302"),
    # one's own account (issue #8): every signed-in user, for themselves only
    row("account_security", "",                              "→    200  200  200  200  200  200  200  200  200  200"),
    row("password_change", "",                               "→    200  200  200  200  200  200  200  200  200  200"),
    row("password_change_done", "",                          "→    200  200  200  200  200  200  200  200  200  200"),
    row("two_factor_verify", "",                             "→    302  302  302  302  302  302  302  302  302  302"),
    row("two_factor_enrol", "",                              "→    200  200  200  200  200  200  200  200  200  200"),
    row("two_factor_recovery_codes", "",                     "→    302  302  302  302  302  302  302  302  302  302"),
    post("two_factor_disable", "",                           "→    302! 302! 302! 302! 302! 302! 302! 302! 302! 302!"),
    # Django's admin (staff only; the admin checks every model itself)
    row("admin:index", "",                                   "→    →    →    →    →    →    →    →    →    →    200"),
]

# Pages open to everybody by design, and URL namespaces with their own matrix.
PUBLIC = {
    "login": "the login page",
    "logout": "logging out (POST) only ends one's own session",
    "set_language": "the language switch only sets one's own cookie",
}
OWN_MATRIX = {"api": "tests/security/test_api_matrix.py checks every operation of /api/openapi.json"}


# ------------------------------------------------------------------------------ machinery


def _args(target: str, ids: dict[str, int]) -> list[str]:
    return [part.format(**ids) for part in target.split("/")] if target else []


def _data(data: dict | None) -> dict:
    return {key: SimpleUploadedFile("bao-cao.pdf", value, content_type="application/pdf")
            if isinstance(value, bytes) else value for key, value in (data or {}).items()}


def outcome(client, world, actor: str, entry: Row) -> str:
    """What `actor` gets for `entry`, as a cell; the request's changes are rolled back."""
    url = reverse(entry.name, args=_args(entry.target, world.ids))
    with transaction.atomic():
        client.logout()
        if actor != "anonymous":
            client.force_login(getattr(world, actor))
        try:
            if entry.method == "POST":
                response = client.post(url, _data(entry.data))
            else:
                response = client.get(url)
        except Exception as exc:  # a server error is a cell too: the row shows it
            transaction.set_rollback(True)
            return f"ERROR({type(exc).__name__})"
        transaction.set_rollback(True)
    if response.status_code == 302 and response.url.split("?")[0] in (reverse("login"), "/quan-tri/login/"):
        return "→"
    if response.status_code == 302 and _error_message(response):
        return "302!"
    return str(response.status_code)


def _error_message(response) -> bool:
    """A redirect back with an error message: the action was refused by its rules (wrong step,
    nothing pending), not by access; nothing changed."""
    stored = getattr(response.wsgi_request, "_messages", None)
    return stored is not None and any(message.level >= messages.ERROR for message in stored)


@pytest.mark.parametrize("entry", PAGES, ids=[entry.id for entry in PAGES])
def test_each_actor_gets_what_the_matrix_says(matrix_world, db, client, entry):
    observed = " ".join(outcome(client, matrix_world, actor, entry) for actor in COLUMNS)
    assert observed == entry.cells, (
        f"\n{entry.id}\n  columns:  {' '.join(COLUMNS)}\n  expected: {entry.cells}\n  observed: {observed}")


# ------------------------------------------------------------------------------ completeness


def url_names(patterns=None, namespace: str = "") -> set[str]:
    """Every named page of the URL configuration (a namespace with its own matrix counts once)."""
    found: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in OWN_MATRIX or pattern.namespace == "admin":
                found.add(f"{inner}index" if pattern.namespace == "admin" else pattern.namespace)
                continue
            found |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name: name it and add it to the matrix"
            found.add(namespace + pattern.name)
    return found


def test_every_page_is_in_the_matrix():
    in_matrix = {entry.name for entry in PAGES} | set(PUBLIC) | set(OWN_MATRIX)
    missing = sorted(url_names() - in_matrix)
    assert not missing, f"pages without a row in the permission matrix: {missing}"
    gone = sorted(in_matrix - url_names())
    assert not gone, f"rows for pages that no longer exist: {gone}"


def test_every_page_has_an_allowed_and_a_refused_case():
    for name in sorted({entry.name for entry in PAGES}):
        cells = {cell for entry in PAGES if entry.name == name for cell in entry.cells.split()}
        assert cells & ALLOWED, f"{name}: nobody in the matrix may open it"
        assert cells & REFUSED, f"{name}: nobody in the matrix is refused"


def test_every_row_has_one_cell_per_actor():
    for entry in PAGES:
        assert len(entry.cells.split()) == len(COLUMNS), entry.id
        assert set(entry.cells.split()) <= ALLOWED | REFUSED | {"400"}, entry.id
