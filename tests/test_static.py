"""`make run` collects static files with the hashed, compressed storage that production uses; the
tests themselves run with plain storage, so this test is what catches a broken reference (a vendored
script pointing at a missing source map once broke `make run`)."""

from django.core.management import call_command


def test_static_files_collect_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert any(tmp_path.glob("vendor/chartjs/chart.umd.min.*.js"))
