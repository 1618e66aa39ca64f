"""Key formats of providers detect-secrets 1.5 does not know, from each provider's documentation.

Every pattern anchors on the provider's fixed prefix and exact length or alphabet, so a random
identifier does not match; tests/test_secrets.py holds a generated key and look-alikes for each.
"""

from __future__ import annotations

import re

from detect_secrets.plugins.base import RegexBasedDetector


class AnthropicDetector(RegexBasedDetector):
    """Anthropic API keys: `sk-ant-api03-` then 93 URL-safe characters ending in `AA`."""

    secret_type = "Anthropic API Key"
    denylist = (re.compile(r"\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_\-]{80,120})"),)


class HuggingFaceDetector(RegexBasedDetector):
    """Hugging Face user access tokens: `hf_` then 34 letters."""

    secret_type = "Hugging Face Token"
    denylist = (re.compile(r"\b(hf_[A-Za-z]{34})\b"),)


class GoogleApiKeyDetector(RegexBasedDetector):
    """Google Cloud API keys: `AIza` then 35 URL-safe characters."""

    secret_type = "Google API Key"
    denylist = (re.compile(r"\b(AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])"),)


class GcpServiceAccountDetector(RegexBasedDetector):
    """A GCP service-account key file: its `private_key_id` is 40 hex digits."""

    secret_type = "GCP Service Account Key"
    denylist = (re.compile(r'"private_key_id"\s*:\s*"([0-9a-f]{40})"'),)


class DockerHubDetector(RegexBasedDetector):
    """Docker Hub personal access tokens: `dckr_pat_` then 27 URL-safe characters."""

    secret_type = "Docker Hub Token"
    denylist = (re.compile(r"\b(dckr_pat_[A-Za-z0-9_\-]{27})(?![A-Za-z0-9_\-])"),)


class DatabricksDetector(RegexBasedDetector):
    """Databricks personal access tokens: `dapi` then 32 hex digits (and an optional `-N`)."""

    secret_type = "Databricks Token"
    denylist = (re.compile(r"\b(dapi[0-9a-f]{32}(?:-\d)?)\b"),)


class DatabaseUrlDetector(RegexBasedDetector):
    """Database URLs with an inline password: `postgres://user:password@host`."""

    secret_type = "Database URL With Password"
    denylist = (
        re.compile(
            r"\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql)"
            r"(?:\+\w+)?://[^:/\s@]+:([^@\s/'\"$<{]{3,})@"
        ),
    )


DETECTORS = (
    AnthropicDetector,
    HuggingFaceDetector,
    GoogleApiKeyDetector,
    GcpServiceAccountDetector,
    DockerHubDetector,
    DatabricksDetector,
    DatabaseUrlDetector,
)
