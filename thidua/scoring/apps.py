from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "thidua.scoring"
    verbose_name = "Chấm điểm, xếp hạng"
