"""The database orders names exactly as the Python key does, on SQLite and on PostgreSQL."""

from thidua.lib.collation import vi_sorted
from thidua.org.collation import vi_order
from thidua.org.models import Unit
from tests.factories import UnitFactory

NAMES = ["Đức Phổ", "Dương Minh Châu", "Ân Thi", "Ăn Khê", "Ang Giang", "Bình Minh", "Ơn Hòa", "Ô Môn",
         "On Lạc", "Ưng Hòa", "Uông Bí", "Hà Nội", "Hải Dương", "Hậu Giang", "Hòn Đất", "Châu Thành", "Cà Mau"]


def test_order_by_vietnamese_collation_matches_the_python_key(db):
    for index, name in enumerate(NAMES):
        UnitFactory(code=f"U{index}", name=name)
    from_db = list(Unit.objects.order_by(vi_order("name")).values_list("name", flat=True))
    assert from_db == vi_sorted(NAMES)
