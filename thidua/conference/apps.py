from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "thidua.conference"
    verbose_name = "Hội nghị tổng kết: bỏ phiếu, đề nghị khen thưởng, luân phiên"
