"""Property tests of the sync protocol (hypothesis). Examples are bounded to keep the suite fast."""
