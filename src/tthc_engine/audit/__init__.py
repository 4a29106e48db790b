"""WHO DID WHAT: hash-chained audit entries, canonical hashing, verification and export."""

from tthc_engine.audit.canonical import GENESIS_HASH, canonical_json, sha256_hex
from tthc_engine.audit.chain import verify_chain
from tthc_engine.audit.entry import AuditEntry

__all__ = ["GENESIS_HASH", "AuditEntry", "canonical_json", "sha256_hex", "verify_chain"]
