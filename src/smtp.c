/* smtp.c - one message to an SMTP server through libcurl. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "weekly/buf.h"
#include "weekly/libcurl.h"
#include "weekly/smtp.h"
#include "weekly/util.h"

/* The transfer: the message as libcurl reads it, and the server's last
 * reply line as it came. */
struct smtp_xfer {
	const char *msg;
	size_t len, pos;
	buf reply;
};

static size_t smtp_read(char *dst, size_t size, size_t n, void *ud)
{
	struct smtp_xfer *x = ud;
	size_t room = size * n, left = x->len - x->pos;
	size_t k = left < room ? left : room;
	memcpy(dst, x->msg + x->pos, k);
	x->pos += k;
	return k;
}

/* Every line the server sends comes here; the last one is kept, without
 * its line break, but for the goodbye to QUIT (libcurl says QUIT after a
 * refusal, before it returns). */
static int smtp_debug(CURL *e, curl_infotype type, char *data, size_t n, void *ud)
{
	(void)e;
	struct smtp_xfer *x = ud;
	if (type != CURLINFO_HEADER_IN || (n >= 4 && memcmp(data, "221 ", 4) == 0))
		return 0;
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	buf_reset(&x->reply);
	buf_put(&x->reply, data, n);
	return 0;
}

/* Whether url names this machine, where a password cannot be overheard. */
static int smtp_local(const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	const char *at = strchr(h, '@');
	if (at && at < h + strcspn(h, "/"))
		h = at + 1;
	static const char *const local[] = { "localhost", "127.", "[::1]" };
	for (size_t i = 0; i < sizeof local / sizeof *local; i++)
		if (strncasecmp(h, local[i], strlen(local[i])) == 0)
			return 1;
	return 0;
}

static void smtp_options(CURL *e, const struct smtp_send *s, struct smtp_xfer *x,
			 struct curl_slist *rcpt, char *err)
{
	char *from = xasprintf("<%s>", s->from);
	libcurl.easy_setopt(e, CURLOPT_URL, s->url);
	libcurl.easy_setopt(e, CURLOPT_MAIL_FROM, from);
	free(from); /* libcurl keeps its own copy of every string */
	libcurl.easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
	libcurl.easy_setopt(e, CURLOPT_UPLOAD, 1L);
	libcurl.easy_setopt(e, CURLOPT_READFUNCTION, smtp_read);
	libcurl.easy_setopt(e, CURLOPT_READDATA, x);
	libcurl.easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)x->len);
	libcurl.easy_setopt(e, CURLOPT_DEBUGFUNCTION, smtp_debug);
	libcurl.easy_setopt(e, CURLOPT_DEBUGDATA, x);
	libcurl.easy_setopt(e, CURLOPT_VERBOSE, 1L); /* for the debug function */
	libcurl.easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	libcurl.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	libcurl.easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
	libcurl.easy_setopt(e, CURLOPT_TIMEOUT, s->timeout > 0 ? s->timeout : 60L);
	if (libcurl.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps") != CURLE_OK)
		libcurl.easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
	int secret = s->password && *s->password;
	libcurl.easy_setopt(e, CURLOPT_USE_SSL,
			    secret && !smtp_local(s->url) ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (s->ca_file && *s->ca_file)
		libcurl.easy_setopt(e, CURLOPT_CAINFO, s->ca_file);
	if (s->user && *s->user)
		libcurl.easy_setopt(e, CURLOPT_USERNAME, s->user);
	if (secret)
		libcurl.easy_setopt(e, CURLOPT_PASSWORD, s->password);
}

/* What went wrong, in words, with the server's reply when there is one. */
static void smtp_failed(const struct smtp_send *s, CURL *e, CURLcode rc, const char *err,
			const struct smtp_xfer *x, diag_list *d)
{
	long oserr = 0;
	libcurl.easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr);
	const char *why = *err ? err : libcurl.easy_strerror(rc);
	const char *said = x->reply.len ? x->reply.data : NULL;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot connect to %s: %s", s->url,
			 oserr ? strerror((int)oserr) : why);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot connect to %s: no such host",
			 s->url);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "%s did not answer in time%s%s%s", s->url,
			 said ? " (last said: \"" : "", said ? said : "", said ? "\")" : "");
		break;
	case CURLE_LOGIN_DENIED:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
			 "%s refused the login of '%s'%s%s%s", s->url, s->user ? s->user : "",
			 said ? ": \"" : "", said ? said : "", said ? "\"" : "");
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot trust the certificate of %s: "
			 "%s (email.smtp_ca_file names the authority that signed it)", s->url, why);
		break;
	case CURLE_USE_SSL_FAILED:
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL,
			 "%s does not offer STARTTLS, and a password is not sent in the clear", s->url);
		break;
	default:
		if (said && (said[0] == '4' || said[0] == '5'))
			diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "%s refused the message: \"%s\"",
				 s->url, said);
		else
			diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "sending to %s failed: %s", s->url, why);
	}
}

int smtp_send(const struct smtp_send *s, const char *msg, size_t len, char **reply,
	      diag_list *d)
{
	*reply = NULL;
	if (libcurl_load(d) < 0)
		return -1;
	CURL *e = libcurl.easy_init();
	if (!e) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "libcurl cannot start a transfer");
		return -1;
	}
	struct smtp_xfer x = { msg, len, 0, BUF_INIT };
	struct curl_slist *rcpt = NULL;
	for (size_t i = 0; i < s->nto; i++) {
		char *r = xasprintf("<%s>", s->to[i]);
		rcpt = libcurl.slist_append(rcpt, r);
		free(r);
	}
	char err[CURL_ERROR_SIZE] = "";
	smtp_options(e, s, &x, rcpt, err);
	CURLcode rc = libcurl.easy_perform(e);
	if (rc != CURLE_OK)
		smtp_failed(s, e, rc, err, &x, d);
	else
		*reply = xstrdup(x.reply.data);
	libcurl.slist_free_all(rcpt);
	libcurl.easy_cleanup(e);
	buf_release(&x.reply);
	return rc == CURLE_OK ? 0 : -1;
}
