/**
 * Files the daemon replaces whole: a new temp file beside the target, written, then renamed over
 * it, so a reader sees the old or the new content and never a mix. {@link TempFile} makes the
 * temp file safe to create in a directory others can write to; {@link Symlinks} says what a
 * symlinked target means for each file.
 */
package net.anycast.healthchecker.files;
