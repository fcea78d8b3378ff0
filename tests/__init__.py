"""Test suite; a package so that tests/web, tests/ingest … do not shadow the packages they test."""
