package net.anycast.healthchecker.web;

/** What a proxy endpoint answers: the status (the probed server's, or ours) and a text body. */
record ProxyAnswer(int status, String body) {}
