/* gmime-bench: the GMime peer of cairn-bench.
 *
 *     gmime-bench parse DIR [--repeat N]
 *
 * Does the same work as `cairn-bench parse DIR`, the way a GMime user would:
 * memory-maps every regular file under DIR (recursive, sorted by path), parses
 * it with g_mime_parser over a GMimeStreamMmap, walks the tree (into
 * encapsulated message/rfc822 parts too, as cairn's parser does), writes every
 * leaf part's transfer-decoded content to a null stream, and converts every
 * text leaf (text/ any subtype) to UTF-8 through a GMimeFilterCharset (or
 * g_mime_text_part_get_text when the charset has no iconv converter).
 *
 * Prints exactly one line on stdout:
 *     files=N bytes=B seconds=S MBps=X msgs_per_s=Y
 * seconds is the wall time of the parse loop only (listing DIR is excluded);
 * with --repeat N it is the median of N passes (the best is on stderr).
 * stderr gets a second line with the work done (parts, decoded bytes), so that
 * the two programs can be checked to do comparable work. */

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char** paths;
    size_t count;
    size_t capacity;
    uint64_t bytes;
} file_list;

typedef struct {
    uint64_t leaves;
    uint64_t text_leaves;
    uint64_t decoded_bytes; /* transfer-decoded content of every leaf */
    uint64_t text_bytes;    /* UTF-8 output of every text leaf */
} work_done;

static void list_push(file_list* list, const char* path, uint64_t size) {
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 1024;
        list->paths = realloc(list->paths, list->capacity * sizeof(char*));
        if (!list->paths) {
            perror("realloc");
            exit(2);
        }
    }
    list->paths[list->count++] = strdup(path);
    list->bytes += size;
}

/* Recursive listing; the caller sorts, so directory order does not matter. */
static int list_files(const char* dir, file_list* list) {
    DIR* d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    struct dirent* entry;
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char* path = g_build_filename(dir, entry->d_name, NULL);
        struct stat st;
        if (stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                list_files(path, list);
            else if (S_ISREG(st.st_mode))
                list_push(list, path, (uint64_t)st.st_size);
        }
        g_free(path);
    }
    closedir(d);
    return 0;
}

static int compare_paths(const void* a, const void* b) {
    return strcmp(*(char* const*)a, *(char* const*)b);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the transfer-decoded `content` through an optional filter into
 * a null stream and returns the bytes that reached it. */
static uint64_t drain(GMimeDataWrapper* content, GMimeFilter* filter) {
    GMimeStream* null_stream = g_mime_stream_null_new();
    GMimeStream* target = null_stream;
    if (filter) {
        target = g_mime_stream_filter_new(null_stream);
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(target), filter);
    }
    g_mime_data_wrapper_write_to_stream(content, target);
    g_mime_stream_flush(target);
    uint64_t written = (uint64_t)GMIME_STREAM_NULL(null_stream)->written;
    if (target != null_stream)
        g_object_unref(target);
    g_object_unref(null_stream);
    return written;
}

static void visit_leaf(GMimePart* part, work_done* work) {
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    work->leaves++;
    if (!content)
        return;
    work->decoded_bytes += drain(content, NULL);

    if (!GMIME_IS_TEXT_PART(part))
        return;
    work->text_leaves++;
    const char* charset = g_mime_text_part_get_charset(GMIME_TEXT_PART(part));
    GMimeFilter* filter = charset ? g_mime_filter_charset_new(charset, "utf-8") : NULL;
    if (filter) {
        work->text_bytes += drain(content, filter);
        g_object_unref(filter);
    } else {
        /* No charset, or one iconv does not know: GMime's own fallback path. */
        char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
        if (text) {
            work->text_bytes += strlen(text);
            g_free(text);
        }
    }
}

/* Explicit recursion over multiparts and encapsulated messages; depth is bounded
 * by GMime's parser, and the corpus nests at most a few levels. */
static void visit(GMimeObject* object, work_done* work) {
    if (!object)
        return;
    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart* multipart = GMIME_MULTIPART(object);
        int n = g_mime_multipart_get_count(multipart);
        for (int i = 0; i < n; i++)
            visit(g_mime_multipart_get_part(multipart, i), work);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner)
            visit(g_mime_message_get_mime_part(inner), work);
    } else if (GMIME_IS_PART(object)) {
        visit_leaf(GMIME_PART(object), work);
    }
}

static void parse_one(const char* path, work_done* work) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        perror(path);
        return;
    }
    /* GMimeStreamMmap maps the file itself and owns (closes) fd. An empty file
     * cannot be mapped; it gets an empty memory stream instead. */
    GMimeStream* stream = g_mime_stream_mmap_new(fd, PROT_READ, MAP_PRIVATE);
    if (!stream) {
        close(fd);
        stream = g_mime_stream_mem_new();
    }
    GMimeParser* parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage* message = g_mime_parser_construct_message(parser, NULL);
    if (message) {
        visit(g_mime_message_get_mime_part(message), work);
        g_object_unref(message);
    }
    g_object_unref(parser);
    g_object_unref(stream);
}

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

int main(int argc, char** argv) {
    const char* dir = NULL;
    int repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "parse") == 0 && i + 1 < argc)
            dir = argv[++i];
        else {
            fprintf(stderr, "usage: gmime-bench parse DIR [--repeat N]\n");
            return 2;
        }
    }
    if (!dir || repeat < 1) {
        fprintf(stderr, "usage: gmime-bench parse DIR [--repeat N]\n");
        return 2;
    }

    g_mime_init();
    file_list files = {0};
    if (list_files(dir, &files) != 0)
        return 1;
    qsort(files.paths, files.count, sizeof(char*), compare_paths);

    double* times = calloc((size_t)repeat, sizeof(double));
    work_done work = {0};
    for (int r = 0; r < repeat; r++) {
        work_done pass = {0};
        double start = now_seconds();
        for (size_t i = 0; i < files.count; i++)
            parse_one(files.paths[i], &pass);
        times[r] = now_seconds() - start;
        work = pass;
    }
    qsort(times, (size_t)repeat, sizeof(double), compare_doubles);
    double seconds = times[repeat / 2];

    printf("files=%zu bytes=%llu seconds=%.3f MBps=%.1f msgs_per_s=%.0f\n", files.count,
           (unsigned long long)files.bytes, seconds, (double)files.bytes / 1e6 / seconds,
           (double)files.count / seconds);
    fprintf(stderr,
            "gmime-bench: leaves=%llu text_leaves=%llu decoded_bytes=%llu text_bytes=%llu "
            "best_seconds=%.3f runs=%d\n",
            (unsigned long long)work.leaves, (unsigned long long)work.text_leaves,
            (unsigned long long)work.decoded_bytes, (unsigned long long)work.text_bytes, times[0],
            repeat);

    for (size_t i = 0; i < files.count; i++)
        free(files.paths[i]);
    free(files.paths);
    free(times);
    g_mime_shutdown();
    return 0;
}
