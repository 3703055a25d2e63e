"""Content-addressed blobs (photos, voice memos, evidence): resumable uploads, verified by SHA-256."""
