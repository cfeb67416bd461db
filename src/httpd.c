/* httpd.c - the preview server over libmicrohttpd (loaded with dlopen, as
 * the link checker loads libcurl): files of the output folder, safely, and
 * the live streams of the hub. */
#define _GNU_SOURCE /* POLLRDHUP, O_PATH */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include "weekly/buf.h"
#include "weekly/dl.h"
#include "weekly/fsutil.h"
#include "weekly/httpd.h"
#include "weekly/util.h"
#include "live_js.h" /* src/live.js, the script every served page gets */

#define HTTPD_THREAD_STACK (256 * 1024)
#define HTTPD_MAX_CONNECTIONS 1000
#define HTTPD_IDLE_SECONDS 60
#define HTTPD_STOP_MS 1000 /* for the streams to say goodbye */
#define HTTPD_MAX_PAGE (64u << 20) /* HTML pages are read whole to add the script */
#define LIVE_TAG "<script src=\"/_weekly/live.js\"></script>\n"
/* A page's own: with its ETag, for the script to tell whether it changed
 * while its tab was hidden (and its stream closed). */
#define LIVE_TAG_AS "<script src=\"/_weekly/live.js\" data-etag=\"%s\"></script>\n"

/* ---- libmicrohttpd, loaded when the server starts ---- */

struct httpd_mhd {
	struct MHD_Daemon *(*start_daemon)(unsigned, uint16_t, MHD_AcceptPolicyCallback, void *,
					   MHD_AccessHandlerCallback, void *, ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	struct MHD_Response *(*from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
	struct MHD_Response *(*from_fd64)(uint64_t, int);
	struct MHD_Response *(*from_callback)(uint64_t, size_t, MHD_ContentReaderCallback,
					      void *, MHD_ContentReaderFreeCallback);
	enum MHD_Result (*add_header)(struct MHD_Response *, const char *, const char *);
	enum MHD_Result (*queue)(struct MHD_Connection *, unsigned, struct MHD_Response *);
	void (*destroy)(struct MHD_Response *);
	const char *(*lookup)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
	const union MHD_ConnectionInfo *(*conn_info)(struct MHD_Connection *,
						     enum MHD_ConnectionInfoType, ...);
};

#define HTTPD_SYM(name, field) { name, offsetof(struct httpd_mhd, field), 0 }
static const struct dl_sym httpd_syms[] = {
	HTTPD_SYM("MHD_start_daemon", start_daemon),
	HTTPD_SYM("MHD_stop_daemon", stop_daemon),
	HTTPD_SYM("MHD_create_response_from_buffer", from_buffer),
	HTTPD_SYM("MHD_create_response_from_fd64", from_fd64),
	HTTPD_SYM("MHD_create_response_from_callback", from_callback),
	HTTPD_SYM("MHD_add_response_header", add_header),
	HTTPD_SYM("MHD_queue_response", queue),
	HTTPD_SYM("MHD_destroy_response", destroy),
	HTTPD_SYM("MHD_lookup_connection_value", lookup),
	HTTPD_SYM("MHD_get_connection_info", conn_info),
};

static struct httpd_mhd M;

/* The handle is never closed: the library's threads are gone by then, but
 * nothing is gained by unloading it. */
static int httpd_load(char **err)
{
	static int loaded;
	if (loaded)
		return 0;
	const char *why;
	if (dl_load("libmicrohttpd", "WEEKLY_LIBMICROHTTPD", "libmicrohttpd.so.12", httpd_syms,
		    sizeof httpd_syms / sizeof *httpd_syms, &M, &why) < 0) {
		*err = xasprintf("%s", why);
		return -1;
	}
	loaded = 1;
	return 0;
}

struct httpd {
	struct MHD_Daemon *daemon;
	struct livehub *hub;
	char *dir;           /* the folder served */
	char *url;
};

/* ---- from a URL to a file beneath the folder ---- */

/* The URL's path (decoded by the library) as a path relative to the
 * folder, into out: 0, or the HTTP status refusing it. A folder's path
 * gets index.html. */
static int url_path(const char *url, buf *out)
{
	const char *p = url;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n == 0)
			break;
		if (p[0] == '.')  /* "..", ".", and hidden files such as the build state */
			return n == 2 && p[1] == '.' ? MHD_HTTP_FORBIDDEN : MHD_HTTP_NOT_FOUND;
		if (out->len)
			buf_putc(out, '/');
		buf_put(out, p, n);
		p += n;
	}
	if (!out->len || url[strlen(url) - 1] == '/')
		buf_puts(out, out->len ? "/index.html" : "index.html");
	return out->len > PATH_MAX ? MHD_HTTP_URI_TOO_LONG : 0;
}

/* Open rel beneath dir, never through a link that leads out of it. -1 with
 * errno: ENOENT, or EXDEV/ELOOP for a way out. */
static int open_beneath(const char *dir, const char *rel)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS) { /* before Linux 5.6: resolve, then compare */
		char *path = fs_join(dir, rel), real[PATH_MAX], base[PATH_MAX];
		size_t n = realpath(dir, base) ? strlen(base) : 0;
		if (!realpath(path, real))
			fd = -1;
		else if (!n || strncmp(real, base, n) != 0 || real[n] != '/')
			fd = -1, errno = EXDEV;
		else
			fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		free(path);
	}
	int e = errno;
	close(dfd);
	errno = e;
	return fd;
}

static const struct {
	const char *ext, *type;
} httpd_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".htm", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".xml", "application/xml; charset=utf-8" },
	{ ".md", "text/markdown; charset=utf-8" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".tsv", "text/tab-separated-values; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },
	{ ".webp", "image/webp" },
	{ ".avif", "image/avif" },
	{ ".ico", "image/vnd.microsoft.icon" },
	{ ".woff2", "font/woff2" },
	{ ".pdf", "application/pdf" },
};

static const char *content_type(const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof httpd_types / sizeof *httpd_types; i++) {
		size_t e = strlen(httpd_types[i].ext);
		if (n > e && strcasecmp(path + n - e, httpd_types[i].ext) == 0)
			return httpd_types[i].type;
	}
	return "application/octet-stream";
}

static int is_html(const char *type)
{
	return strncmp(type, "text/html", 9) == 0;
}

/* ---- answers ---- */

static enum MHD_Result send_response(struct MHD_Connection *c, unsigned status,
				     struct MHD_Response *r, const char *type)
{
	if (!r)
		return MHD_NO;
	if (type)
		M.add_header(r, "Content-Type", type);
	M.add_header(r, "Cache-Control", "no-cache");
	M.add_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ok = M.queue(c, status, r);
	M.destroy(r);
	return ok;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *type,
				 const char *text, size_t len)
{
	struct MHD_Response *r = M.from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
	return send_response(c, status, r, type);
}

/* A page that is not there (yet): it shows the live overlay, so that an
 * issue with errors says why and reloads once it builds. */
static enum MHD_Result send_missing(struct MHD_Connection *c, const char *rel, int status)
{
	buf b = BUF_INIT;
	const char *why = status == MHD_HTTP_NOT_FOUND ? "Not found" : "Forbidden";
	buf_printf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>"
		   "</head>\n<body><h1>%s</h1>\n<p>", why, why);
	buf_put_html(&b, rel, strlen(rel));
	buf_puts(&b, status == MHD_HTTP_NOT_FOUND ? " is not in the output folder.</p>\n"
						   : " is outside the output folder.</p>\n");
	if (is_html(content_type(rel)))
		buf_puts(&b, LIVE_TAG);
	buf_puts(&b, "</body></html>\n");
	enum MHD_Result ok = send_text(c, status, "text/html; charset=utf-8", b.data, b.len);
	buf_release(&b);
	return ok;
}

static void http_date(time_t t, char *out, size_t n)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Whether the browser's copy (If-None-Match, else If-Modified-Since) is
 * still good. */
static int not_modified(struct MHD_Connection *c, const char *etag, time_t mtime)
{
	const char *inm = M.lookup(c, MHD_HEADER_KIND, "If-None-Match");
	if (inm)
		return strcmp(inm, "*") == 0 || strstr(inm, etag) != NULL;
	const char *ims = M.lookup(c, MHD_HEADER_KIND, "If-Modified-Since");
	struct tm tm = { 0 };
	if (!ims || !strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		return 0;
	return mtime <= timegm(&tm);
}

/* The page with the live script before its </body> (or at its end). */
static struct MHD_Response *page_response(int fd, size_t size, const char *etag)
{
	buf b = BUF_INIT, tag = BUF_INIT;
	buf_reserve(&b, size);
	ssize_t got;
	while (b.len < size && (got = read(fd, b.data + b.len, size - b.len)) > 0)
		b.len += (size_t)got;
	size_t at = b.len;
	for (size_t i = b.len; i-- > 0;)
		if (b.data[i] == '<' && b.len - i >= 7 && strncasecmp(b.data + i, "</body>", 7) == 0) {
			at = i;
			break;
		}
	buf_put_html(&tag, etag, strlen(etag));
	buf out = BUF_INIT;
	buf_reserve(&out, b.len + sizeof LIVE_TAG_AS + tag.len);
	buf_put(&out, b.data, at);
	buf_printf(&out, LIVE_TAG_AS, tag.data);
	buf_put(&out, b.data + at, b.len - at);
	buf_release(&b);
	buf_release(&tag);
	size_t n = out.len;
	return M.from_buffer(n, buf_take(&out), MHD_RESPMEM_MUST_FREE);
}

/* A file's ETag: which file, its size and time. */
#define ETAG_SIZE 80
static void etag_of(const struct stat *sb, char out[ETAG_SIZE])
{
	long long ns = (long long)sb->st_mtim.tv_sec * 1000000000LL + sb->st_mtim.tv_nsec;
	snprintf(out, ETAG_SIZE, "\"%llx-%llx-%llx\"", (unsigned long long)sb->st_ino,
		 (unsigned long long)sb->st_size, (unsigned long long)ns);
}

static enum MHD_Result send_file(struct MHD_Connection *c, int fd, const struct stat *sb,
				 const char *type)
{
	char etag[ETAG_SIZE], modified[40];
	etag_of(sb, etag);
	http_date(sb->st_mtim.tv_sec, modified, sizeof modified);
	struct MHD_Response *r;
	unsigned status = MHD_HTTP_OK;
	if (not_modified(c, etag, sb->st_mtim.tv_sec)) {
		close(fd);
		r = M.from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else if (is_html(type) && (uint64_t)sb->st_size <= HTTPD_MAX_PAGE) {
		r = page_response(fd, (size_t)sb->st_size, etag);
		close(fd);
	} else {
		r = M.from_fd64((uint64_t)sb->st_size, fd); /* it closes fd */
	}
	if (r) {
		M.add_header(r, "ETag", etag);
		M.add_header(r, "Last-Modified", modified);
	}
	return send_response(c, status, r, status == MHD_HTTP_OK ? type : NULL);
}

/* The bytes a URL's path holds as they are. */
static int path_byte(unsigned char c)
{
	return isalnum(c) || (c && strchr("/-._~!$&'()*+,;=:@", c));
}

/* path percent-encoded again, as a URL's path. */
static void put_url(buf *b, const char *path)
{
	buf_put_percent(b, path, path_byte);
}

static enum MHD_Result serve_file(struct httpd *s, struct MHD_Connection *c, const char *url)
{
	buf rel = BUF_INIT;
	int status = url_path(url, &rel);
	int fd = status ? -1 : open_beneath(s->dir, rel.data);
	struct stat sb = { 0 };
	if (!status && fd < 0)
		status = errno == EXDEV || errno == ELOOP || errno == EACCES ? MHD_HTTP_FORBIDDEN
									     : MHD_HTTP_NOT_FOUND;
	else if (!status && fstat(fd, &sb) < 0)
		status = MHD_HTTP_NOT_FOUND;
	else if (!status && !S_ISREG(sb.st_mode))
		status = S_ISDIR(sb.st_mode) ? MHD_HTTP_MOVED_PERMANENTLY : MHD_HTTP_NOT_FOUND;
	enum MHD_Result ok;
	if (status == MHD_HTTP_MOVED_PERMANENTLY) {  /* a folder named without its "/" */
		buf to = BUF_INIT;
		put_url(&to, url);
		buf_putc(&to, '/');
		struct MHD_Response *r = M.from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		if (r)
			M.add_header(r, "Location", to.data);
		ok = send_response(c, status, r, NULL);
		buf_release(&to);
	} else if (status) {
		ok = send_missing(c, rel.len ? rel.data : url, status);
	} else {
		ok = send_file(c, fd, &sb, content_type(rel.data));
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	buf_release(&rel);
	return ok;
}

/* ---- the live streams ---- */

struct stream {
	struct httpd *s;
	struct live_client *client;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *st = cls;
	ssize_t n = livehub_read(st->s->hub, st->client, out, max);
	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;
	livehub_leave(st->s->hub, st->client);
	free(st);
}

/* Whether the page the browser shows (its ETag, "" for a page that was
 * not there) is no longer the file rel: it changed before its stream
 * opened. */
static int page_changed(struct httpd *s, const char *rel, const char *shown)
{
	char now[ETAG_SIZE] = "";
	struct stat sb;
	int fd = open_beneath(s->dir, rel);
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		etag_of(&sb, now);
	if (fd >= 0)
		close(fd);
	return shown && strcmp(shown, now) != 0;
}

static enum MHD_Result serve_events(struct httpd *s, struct MHD_Connection *c)
{
	const char *page = M.lookup(c, MHD_GET_ARGUMENT_KIND, "page");
	buf rel = BUF_INIT;
	if (!page || url_path(page, &rel)) {
		buf_release(&rel);
		return send_text(c, MHD_HTTP_BAD_REQUEST, "text/plain; charset=utf-8",
				 "which page? /_weekly/events?page=/PATH\n", 40);
	}
	const union MHD_ConnectionInfo *ci = M.conn_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct stream *st = xcalloc(1, sizeof *st);
	st->s = s;
	st->client = livehub_join(s->hub, rel.data, ci ? ci->connect_fd : -1,
				  page_changed(s, rel.data, M.lookup(c, MHD_GET_ARGUMENT_KIND, "etag")));
	buf_release(&rel);
	struct MHD_Response *r = M.from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st,
						 stream_free);
	if (!r) {
		stream_free(st);
		return MHD_NO;
	}
	return send_response(c, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **req)
{
	(void)version, (void)upload;
	struct httpd *s = cls;
	static int headers_read;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		/* refused before any body is read */
		struct MHD_Response *r = M.from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		if (r)
			M.add_header(r, "Allow", "GET, HEAD");
		*upload_size = 0;
		return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, NULL);
	}
	if (!*req) {  /* answered once the whole request is in: the connection stays open */
		*req = &headers_read;
		return MHD_YES;
	}
	if (strcmp(url, "/_weekly/live.js") == 0)
		return send_text(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", live_js,
				 strlen(live_js));
	if (strcmp(url, "/_weekly/events") == 0)
		return serve_events(s, c);
	return serve_file(s, c, url);
}

/* ---- starting and stopping ---- */

/* A socket listening on addr:port; -1 after setting *err. */
static int listen_on(const char *addr, unsigned port, char **url, char **err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE };
	struct addrinfo *ai;
	char service[8];
	snprintf(service, sizeof service, "%u", port);
	if (getaddrinfo(addr, service, &hints, &ai) != 0) {
		*err = xasprintf("'%s' is not an IP address", addr);
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0) {
		*err = xasprintf("cannot listen on %s port %u: %s", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[INET6_ADDRSTRLEN] = "", num[8] = "";
	getsockname(fd, (struct sockaddr *)&ss, &len);
	getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, num, sizeof num,
		    NI_NUMERICHOST | NI_NUMERICSERV);
	*url = xasprintf(ai->ai_family == AF_INET6 ? "http://[%s]:%s/" : "http://%s:%s/", host, num);
	freeaddrinfo(ai);
	return fd;
}

struct httpd *httpd_start(const char *dir, const char *addr, unsigned port,
			  struct livehub *hub, char **err)
{
	if (httpd_load(err) < 0)
		return NULL;
	struct httpd *s = xcalloc(1, sizeof *s);
	s->hub = hub;
	s->dir = xstrdup(dir);
	int fd = listen_on(addr, port, &s->url, err);
	if (fd >= 0)
		s->daemon = M.start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL |
					   MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC,
					   0, NULL, NULL, on_request, s,
					   MHD_OPTION_LISTEN_SOCKET, fd,
					   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_IDLE_SECONDS,
					   MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTPD_MAX_CONNECTIONS,
					   MHD_OPTION_THREAD_STACK_SIZE, (size_t)HTTPD_THREAD_STACK,
					   MHD_OPTION_END);
	if (fd >= 0 && !s->daemon) {
		*err = xasprintf("libmicrohttpd could not start on %s", s->url);
		close(fd);
	}
	if (!s->daemon) {
		free(s->url);
		free(s->dir);
		free(s);
		return NULL;
	}
	return s;
}

const char *httpd_url(const struct httpd *s)
{
	return s->url;
}

void httpd_stop(struct httpd *s)
{
	livehub_stop(s->hub, HTTPD_STOP_MS);
	M.stop_daemon(s->daemon);
	free(s->url);
	free(s->dir);
	free(s);
}
