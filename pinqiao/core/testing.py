"""Constants shared by the test fixtures (root conftest and the browser fixtures)."""

TEST_PASSWORD = "Secret2026pass"
