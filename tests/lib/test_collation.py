"""Vietnamese alphabetical order: a ă â b c d đ e ê … and tones none < huyền < hỏi < ngã < sắc < nặng."""

from hypothesis import given
from hypothesis import strategies as st

from thidua.lib.collation import search_key, vi_compare, vi_sort_key, vi_sorted

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ "


def test_letters_follow_the_vietnamese_alphabet():
    names = ["Đức", "Dũng", "Ân", "Ăn", "Ang", "Bình", "Ơn", "Ôn", "On", "Ưng", "Ung"]
    assert vi_sorted(names) == ["Ang", "Ăn", "Ân", "Bình", "Dũng", "Đức", "On", "Ôn", "Ơn", "Ung", "Ưng"]


def test_tones_order_after_letters():
    assert vi_sorted(["má", "mạ", "mà", "mã", "ma", "mả"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_place_names_of_the_seed_clusters_sort_as_in_a_vietnamese_list():
    names = ["Thành phố Rạch Giá", "Huyện Tân Hiệp", "Huyện Giồng Riềng", "Huyện Hòn Đất", "Huyện Châu Thành"]
    assert vi_sorted(names) == ["Huyện Châu Thành", "Huyện Giồng Riềng", "Huyện Hòn Đất", "Huyện Tân Hiệp", "Thành phố Rạch Giá"]


def test_the_icelandic_eth_typed_by_mistake_sorts_as_d_stroke():
    assert vi_sort_key("Ðồng Tháp") == vi_sort_key("Đồng Tháp")


def test_search_key_strips_tones_and_maps_d_stroke():
    assert search_key("Đồng Tháp") == "dong thap"


@given(st.text(alphabet=VIETNAMESE, max_size=8), st.text(alphabet=VIETNAMESE, max_size=8), st.text(alphabet=VIETNAMESE, max_size=8))
def test_the_comparison_is_a_total_order(a, b, c):
    assert vi_compare(a, b) == -vi_compare(b, a)
    if vi_compare(a, b) <= 0 and vi_compare(b, c) <= 0:
        assert vi_compare(a, c) <= 0
