"""WHO DID WHAT: hash-chained audit entries."""
