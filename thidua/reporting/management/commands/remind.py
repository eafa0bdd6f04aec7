"""thidua remind [--date YYYY-MM-DD]: queue today's deadline reminders (run daily from cron)."""

from django.core.management.base import BaseCommand

from thidua.reporting.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Xếp hàng gửi thư nhắc hạn của các cụm, khối (chạy hằng ngày; `thidua db_worker` gửi thư)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Ngày tính hạn (YYYY-MM-DD), mặc định hôm nay.")

    def handle(self, *args, date=None, **options):
        result = send_deadline_reminders.enqueue(date)
        if result.is_finished:
            self.stdout.write(f"Đã gửi {result.return_value} thư nhắc hạn.")
        else:
            self.stdout.write(f"Đã xếp hàng gửi thư nhắc hạn (mã {result.id}); `thidua db_worker` sẽ gửi.")
