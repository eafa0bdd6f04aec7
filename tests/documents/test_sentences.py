"""The report's sentences as worked examples (thidua.documents.sentences: pure, no database).

Figures of the first example are those of Kiên Giang cluster 2 in 2017 (seed 003: "Tổng thu ngân sách
… đạt 925,128 tỷ đồng đạt 105,2% kế hoạch, có 5/5 đơn vị … vượt chỉ tiêu giao, một số đơn vị thu vượt
cao như huyện Châu Thành vượt 26,6%, huyện Tân Hiệp vượt 19%, huyện Giồng Riềng vượt 9%").
"""

from __future__ import annotations

from decimal import Decimal as D

from thidua.documents.sentences import (
    CriterionFigures,
    UnitFigures,
    UnitPoints,
    baseline_sentence,
    content_points_sentence,
    criterion_sentence,
    excess_pct,
    join_vi,
    lower_first,
    mean_sentence,
    sum_sentence,
    threshold_sentence,
)


def unit(label, target=None, actual=None, baseline=None):
    return UnitFigures(label=label, target=None if target is None else D(str(target)),
                       actual=None if actual is None else D(str(actual)),
                       baseline=None if baseline is None else D(str(baseline)))


REVENUE = CriterionFigures(
    code="I.1", title="Thu ngân sách nhà nước trên địa bàn", measure="tỷ đồng", aggregate="sum", method="plan_ratio",
    units=(unit("Tân Hiệp", 80, 95.2), unit("Giồng Riềng", 100, 109), unit("Hòn Đất", 189.4, 191.35),
           unit("Châu Thành", 60, 75.96), unit("Rạch Giá", 450, 453.618)),
)


# ------------------------------------------------------------------------------ sum


def test_sum_of_the_kien_giang_revenue_reads_like_the_article():
    assert sum_sentence(REVENUE) == (
        "Tổng thu ngân sách nhà nước trên địa bàn của 5 đơn vị đạt 925,128 tỷ đồng, đạt 105,2% kế hoạch; "
        "có 5/5 đơn vị đạt và vượt chỉ tiêu; một số đơn vị vượt cao như Châu Thành vượt 26,6%, "
        "Tân Hiệp vượt 19%, Giồng Riềng vượt 9%."
    )


def test_sum_names_the_units_below_plan_with_their_percentage_and_keeps_two_decimals_at_most():
    jobs = CriterionFigures(code="I.3", title="Giải quyết việc làm", measure="lượt người", aggregate="sum",
                            units=(unit("Ánh Dương", 100, 112.88), unit("Bình Minh", 3000, 2950),
                                   unit("Cẩm Giang", 10000, 10000)))
    text = sum_sentence(jobs)
    assert "đạt 13.062,88 lượt người" in text
    assert "đạt 99,72% kế hoạch" in text  # 13.062,88 / 13.100 = 99,7166…
    assert "có 2/3 đơn vị đạt và vượt chỉ tiêu" in text
    assert "Ánh Dương vượt 12,88%" in text and "Cẩm Giang vượt" not in text  # exactly at plan: met, not exceeded
    assert "1/3 đơn vị chưa đạt kế hoạch: Bình Minh (đạt 98,33% kế hoạch)" in text


def test_sum_with_a_missing_figure_counts_only_the_units_with_data_and_names_the_others():
    text = sum_sentence(CriterionFigures(
        code="I.1", title="Thu ngân sách", measure="tỷ đồng", aggregate="sum",
        units=(unit("Tân Hiệp", 80, 95.2), unit("Hòn Đất", 189.4), unit("Châu Thành", 60, 75.96)),
    ))
    assert text.startswith("Tổng thu ngân sách của 2 đơn vị đạt 171,16 tỷ đồng, đạt 122,26% kế hoạch;")
    assert "có 2/2 đơn vị đạt và vượt chỉ tiêu" in text
    assert text.endswith("(chưa có số liệu của Hòn Đất).")


def test_sum_without_any_target_gives_just_the_total():
    text = sum_sentence(CriterionFigures(code="X", title="Số doanh nghiệp thành lập mới", measure="doanh nghiệp",
                                         aggregate="sum", units=(unit("A", actual=120), unit("B", actual=1300))))
    assert text == "Tổng số doanh nghiệp thành lập mới của 2 đơn vị đạt 1.420 doanh nghiệp."


def test_sum_with_zero_targets_divides_by_nothing_and_invents_no_percentage():
    all_zero = CriterionFigures(code="X", title="Vốn vay ưu đãi", measure="tỷ đồng", aggregate="sum",
                                units=(unit("A", 0, 5), unit("B", 0, 0)))
    text = sum_sentence(all_zero)
    assert text == "Tổng vốn vay ưu đãi của 2 đơn vị đạt 5 tỷ đồng; có 2/2 đơn vị đạt và vượt chỉ tiêu."
    one_zero = CriterionFigures(code="X", title="Vốn vay ưu đãi", measure="tỷ đồng", aggregate="sum",
                                units=(unit("A", 0, 5), unit("B", 10, 12)))
    text = sum_sentence(one_zero)
    assert "đạt 170% kế hoạch" in text and "có 2/2 đơn vị" in text
    assert "B vượt 20%" in text and "A vượt" not in text  # no percentage of a zero target


def test_lower_is_better_sum_reports_the_units_under_their_ceiling():
    text = sum_sentence(CriterionFigures(code="X", title="Số vụ cháy", measure="vụ", direction="lower", aggregate="sum",
                                         units=(unit("A", 10, 8), unit("B", 10, 11))))
    assert text.startswith("Tổng số vụ cháy của 2 đơn vị là 19 vụ, bằng 95% chỉ tiêu kế hoạch; có 1/2 đơn vị đạt chỉ tiêu;")
    assert "A thấp hơn chỉ tiêu 20%" in text and "B (cao hơn chỉ tiêu 10%)" in text


def test_percentages_round_half_up_to_two_decimals_and_drop_trailing_zeros():
    assert excess_pct(D("100.005"), D(100)) == D("0.005")
    text = sum_sentence(CriterionFigures(code="X", title="Thu", aggregate="sum",
                                         units=(unit("A", 100, 100.005), unit("B", 100, 106.1))))
    assert "A vượt 0,01%" in text and "B vượt 6,1%" in text and "6,10%" not in text


# ------------------------------------------------------------------------------ mean


def test_mean_gives_the_group_average_and_the_units_above_and_below_plan():
    hamlets = CriterionFigures(
        code="I.4", title="Tỷ lệ ấp đạt chuẩn văn hóa", measure="%", aggregate="mean", method="threshold",
        units=(unit("Tân Hiệp", 80, 89.6), unit("Giồng Riềng", 85, 83.4), unit("Hòn Đất", 82, 79.5),
               unit("Châu Thành", 85, 87.55), unit("Rạch Giá", 80, 84.88)),
    )
    assert mean_sentence(hamlets) == (
        "Tỷ lệ ấp đạt chuẩn văn hóa: bình quân toàn cụm đạt 84,99% (kế hoạch bình quân 82,4%); có 3/5 đơn vị "
        "đạt và vượt kế hoạch, một số đơn vị vượt cao như Tân Hiệp vượt 12%, Rạch Giá vượt 6,1%, Châu Thành "
        "vượt 3%; 2/5 đơn vị chưa đạt kế hoạch: Giồng Riềng (đạt 98,12% kế hoạch), Hòn Đất (96,95%)."
    )
    # The same criterion without a fixed bar goes to the mean sentence.
    assert criterion_sentence(hamlets) == mean_sentence(hamlets)


def test_mean_without_targets_names_the_highest_and_lowest_and_says_what_is_missing():
    text = mean_sentence(CriterionFigures(code="X", title="Tỷ lệ hộ dùng nước sạch", measure="%", aggregate="mean",
                                          units=(unit("A", actual=97.5), unit("B", actual=91), unit("C"))),
                         group_word="khối")
    assert text == ("Tỷ lệ hộ dùng nước sạch: bình quân toàn khối đạt 94,25%; cao nhất là A (97,5%), "
                    "thấp nhất là B (91%) (chưa có số liệu của C).")


# ------------------------------------------------------------------------------ threshold


def test_threshold_counts_the_units_at_or_above_the_bar_and_lists_them():
    insurance = CriterionFigures(
        code="I.5", title="Tỷ lệ hộ dân tham gia bảo hiểm y tế", measure="%", aggregate="mean", method="threshold",
        threshold=D(81),
        units=(unit("Tân Hiệp", actual=78.64), unit("Giồng Riềng", actual=85.02), unit("Hòn Đất", actual=81.72),
               unit("Châu Thành", actual=77.65), unit("Rạch Giá", actual=86.97)),
    )
    assert threshold_sentence(insurance) == (
        "Tỷ lệ hộ dân tham gia bảo hiểm y tế: bình quân toàn cụm đạt 82%; có 3/5 đơn vị đạt từ 81% trở lên "
        "(Rạch Giá 86,97%, Giồng Riềng 85,02%, Hòn Đất 81,72%); chưa đạt: Tân Hiệp 78,64%, Châu Thành 77,65%."
    )
    assert criterion_sentence(insurance) == threshold_sentence(insurance)


def test_a_lower_is_better_threshold_counts_units_at_or_below_the_bar():
    dropout = CriterionFigures(code="X", title="Tỷ lệ trẻ bỏ học", measure="%", direction="lower", method="threshold",
                               threshold=D(1), units=(unit("A", actual=0.82), unit("B", actual=1.08), unit("C")))
    text = threshold_sentence(dropout)
    assert "có 1/2 đơn vị đạt từ 1% trở xuống (A 0,82%); chưa đạt: B 1,08%" in text
    assert text.endswith("(chưa có số liệu của C).")


# ------------------------------------------------------------------------------ vs_baseline


def test_lower_is_better_vs_baseline_counts_the_units_that_reduced():
    accidents = CriterionFigures(
        code="I.7", title="Kéo giảm tai nạn giao thông so với năm 2016", measure="vụ", direction="lower",
        aggregate="sum", method="vs_baseline",
        units=(unit("Tân Hiệp", actual=12, baseline=14), unit("Giồng Riềng", actual=11, baseline=11),
               unit("Hòn Đất", actual=15, baseline=17), unit("Châu Thành", actual=10, baseline=13),
               unit("Rạch Giá", actual=23, baseline=26)),
    )
    assert baseline_sentence(accidents) == (
        "Kéo giảm tai nạn giao thông so với năm 2016: có 4/5 đơn vị giảm so với năm trước; Giồng Riềng bằng năm "
        "trước; toàn cụm 71 vụ, giảm 10 vụ (12,35%) so với năm trước (81 vụ)."
    )


def test_vs_baseline_names_a_unit_that_got_worse_and_one_without_last_year():
    crimes = CriterionFigures(code="I.2", title="Tai nạn giao thông", measure="vụ", direction="lower",
                              method="vs_baseline", aggregate="sum",
                              units=(unit("Ánh Dương", actual=31, baseline=35), unit("Bình Minh", actual=40, baseline=35),
                                     unit("Cẩm Giang", actual=3)))
    text = criterion_sentence(crimes)
    assert text == ("Tai nạn giao thông: có 1/2 đơn vị giảm so với năm trước; Bình Minh tăng 14,29% "
                    "(chưa có số liệu của Cẩm Giang).")  # no group total while a unit is missing


def test_higher_is_better_vs_baseline_says_increased():
    exports = CriterionFigures(code="X", title="Kim ngạch xuất khẩu", measure="triệu USD", method="vs_baseline",
                               aggregate="sum", units=(unit("A", actual=120, baseline=100), unit("B", actual=90, baseline=100)))
    text = baseline_sentence(exports)
    assert text.startswith("Kim ngạch xuất khẩu: có 1/2 đơn vị tăng so với năm trước; B giảm 10%;")
    assert "toàn cụm 210 triệu USD, tăng 10 triệu USD (5%) so với năm trước (200 triệu USD)." in text


# ------------------------------------------------------------------------------ dispatch, words, points


def test_manual_criteria_and_criteria_without_data_say_nothing_invented():
    manual = CriterionFigures(code="II.1", title="Xây dựng Đảng", method="manual", units=(unit("A"),))
    assert criterion_sentence(manual) == ""
    empty = CriterionFigures(code="I.1", title="Thu ngân sách", aggregate="sum", units=(unit("A", 10), unit("B")))
    assert criterion_sentence(empty) == "Thu ngân sách: chưa có số liệu của các đơn vị."


def test_words():
    assert join_vi(["Hòn Đất"]) == "Hòn Đất"
    assert join_vi(["A", "B", "C"]) == "A, B và C"
    assert lower_first("Thu ngân sách") == "thu ngân sách"
    assert lower_first("BHYT hộ gia đình") == "BHYT hộ gia đình"
    assert lower_first("Đảng bộ trong sạch") == "Đảng bộ trong sạch"


def test_content_points_from_the_engines_rounded_points():
    text = content_points_sentence(code="III", title="Công tác thi đua", max_points=D(100),
                                   points=[UnitPoints("Giồng Riềng", D("81.50")), UnitPoints("Rạch Giá", D("72.00")),
                                           UnitPoints("Tân Hiệp", D("77.00"))])
    assert text == ("Nội dung III (tối đa 100 điểm): các đơn vị đạt bình quân 76,83 điểm; cao nhất là Giồng Riềng "
                    "với 81,5 điểm, thấp nhất là Rạch Giá với 72 điểm.")
    assert content_points_sentence(code="I", title="", max_points=D(600), points=[]) == (
        "Nội dung I (tối đa 600 điểm): chưa có kết quả chấm điểm.")
