"""thidua export GROUP YEAR [-o FILE]: write a group-year's covenant in the covenant file format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thidua.covenants.fileformat import write_covenant
from thidua.covenants.models import Covenant
from thidua.covenants.selectors import covenant_doc


class Command(BaseCommand):
    help = "Xuất giao ước của một cụm/khối trong một năm ra tệp thidua-covenant/1."

    def add_arguments(self, parser):
        parser.add_argument("group", metavar="GROUP")
        parser.add_argument("year", type=int, metavar="YEAR")
        parser.add_argument("-o", "--output", metavar="FILE.yaml", help="Ghi ra tệp thay vì màn hình.")

    def handle(self, *args, group, year, output, **options):
        covenant = Covenant.objects.filter(group_year__group__code=group, group_year__year=year).first()
        if covenant is None:
            raise CommandError(f"Không có giao ước của cụm/khối {group} năm {year}.")
        text = write_covenant(covenant_doc(covenant=covenant))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Đã ghi {output}")
        else:
            self.stdout.write(text, ending="")
