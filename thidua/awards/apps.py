from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "thidua.awards"
    verbose_name = "Khen thưởng: quá trình thi đua, khen thưởng và điều kiện xét tặng"
