from pathlib import Path

import pytest

from juanzong.settings import SettingsError, load_settings


def test_embedded_default_lives_under_one_data_dir(tmp_path: Path):
    s = load_settings({"JUANZONG_DATA_DIR": str(tmp_path / "d")})
    d = tmp_path / "d"
    assert s.data_dir == d
    assert s.database_url == f"sqlite:///{d / 'juanzong.db'}"
    assert s.storage_url == f"file://{d / 'objects'}"
    assert s.search_url == f"tantivy://{d / 'index'}"
    assert s.broker_url == f"filesystem://{d / 'broker'}"
    assert s.broker_folder == d / "broker"
    assert s.max_upload_bytes == 200 * 1024 * 1024
    assert s.docx_stream_bytes == 1 * 1024 * 1024


def test_secret_key_is_generated_once_and_kept(tmp_path: Path):
    env = {"JUANZONG_DATA_DIR": str(tmp_path)}
    first = load_settings(env).secret_key
    assert len(first) == 64
    assert load_settings(env).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with one of"),
        ("SEARCH_URL", "solr://x", "SEARCH_URL must start with one of"),
        ("JUANZONG_MAX_UPLOAD_MB", "lots", "JUANZONG_MAX_UPLOAD_MB must be a whole number, got 'lots'"),
        ("JUANZONG_MAX_UPLOAD_MB", "0", "JUANZONG_MAX_UPLOAD_MB must be at least 1, got 0"),
        ("JUANZONG_DOCX_STREAM_MB", "-1", "JUANZONG_DOCX_STREAM_MB must be at least 0, got -1"),
    ],
)
def test_bad_values_fail_at_start_with_the_variable_named(tmp_path: Path, name, value, message):
    with pytest.raises(SettingsError) as exc:
        load_settings({"JUANZONG_DATA_DIR": str(tmp_path), name: value})
    assert str(exc.value).startswith(message)


def test_docx_stream_threshold_in_megabytes(tmp_path: Path):
    env = {"JUANZONG_DATA_DIR": str(tmp_path)}
    assert load_settings({**env, "JUANZONG_DOCX_STREAM_MB": "0"}).docx_stream_bytes == 0
    assert load_settings({**env, "JUANZONG_DOCX_STREAM_MB": "8"}).docx_stream_bytes == 8 * 1024 * 1024
