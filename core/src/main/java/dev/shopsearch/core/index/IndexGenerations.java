package dev.shopsearch.core.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The generation layout of an index root:
 *
 * <pre>
 * root/
 *   CURRENT          one line: the name of the live generation, e.g. gen-000003
 *   gen-000002/      a complete Lucene index (kept for rollback until pruned)
 *   gen-000003/      the live one
 *   gen-000004/      being built (invisible until CURRENT names it)
 *   gen-NNNNNN/shopsearch.published   marker written when a generation is published
 *   indexer.lock     held by the one process that may create, publish and prune
 * </pre>
 *
 * <p>A writer builds into {@link #newGeneration()}, commits, verifies, then calls {@link
 * #publish(Generation)}, which switches {@code CURRENT} atomically (temp file, fsync, atomic
 * rename, fsync of the directory). A crash at any moment leaves {@code CURRENT} naming the previous
 * complete generation. Readers call {@link #openCurrent()}.
 *
 * <p>Reading methods are safe from any thread and process; {@link #newGeneration()}, {@link
 * #publish(Generation)} and {@link #prune(int)} must run under {@link #lock()}.
 */
public final class IndexGenerations {
  /** Name of the pointer file. */
  public static final String CURRENT = "CURRENT";

  /**
   * Marker written into a generation directory when it is published; generations without it are
   * leftovers of runs that never published and are pruned.
   */
  public static final String PUBLISHED_MARKER = "shopsearch.published";

  /** Name of the inter-process writer lock file. */
  public static final String LOCK = "indexer.lock";

  private static final Pattern GEN = Pattern.compile("gen-(\\d{6,})");

  private final Path root;

  /** An index root (created on first write). */
  public IndexGenerations(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  static String dirName(long number) {
    return String.format(Locale.ROOT, "gen-%06d", number);
  }

  /** The generation {@code CURRENT} names, or empty when nothing was published yet. */
  public Optional<Generation> current() throws IOException {
    Path pointer = root.resolve(CURRENT);
    String name;
    try {
      name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    Matcher m = GEN.matcher(name);
    if (!m.matches()) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s holds '%s'; expected a generation name like gen-000001",
              pointer,
              name.length() > 40 ? name.substring(0, 40) + "..." : name));
    }
    Path dir = root.resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IOException(pointer + " names " + name + " but " + dir + " does not exist");
    }
    return Optional.of(new Generation(Long.parseLong(m.group(1)), dir));
  }

  /** All generation directories present (published or not), oldest first. */
  public List<Generation> list() throws IOException {
    List<Generation> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "gen-*")) {
      for (Path p : ds) {
        Matcher m = GEN.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          out.add(new Generation(Long.parseLong(m.group(1)), p));
        }
      }
    }
    out.sort(Comparator.comparingLong(Generation::number));
    return out;
  }

  /**
   * Creates the next empty generation directory, numbered above every existing one (including
   * unpublished leftovers of crashed runs). Call under {@link #lock()}.
   */
  public Generation newGeneration() throws IOException {
    Files.createDirectories(root);
    long next = list().stream().mapToLong(Generation::number).max().orElse(0) + 1;
    Path dir = root.resolve(dirName(next));
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " already exists; is another indexer running on " + root + "?");
    }
    return new Generation(next, dir);
  }

  /**
   * Creates the next generation as a copy of {@code base} for copy-on-write updates: every index
   * file is hard-linked (Lucene never modifies a written file, so the copy shares no mutable state
   * with {@code base}); where links are not supported the file is copied. Call under {@link
   * #lock()}.
   */
  public Generation newGenerationFrom(Generation base) throws IOException {
    Generation gen = newGeneration();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(base.dir())) {
      for (Path file : ds) {
        String name = file.getFileName().toString();
        if (name.equals("write.lock")
            || name.equals(PUBLISHED_MARKER)
            || !Files.isRegularFile(file)) {
          continue;
        }
        Path target = gen.dir().resolve(name);
        try {
          Files.createLink(target, file);
        } catch (UnsupportedOperationException | IOException e) {
          Files.copy(file, target);
        }
      }
    }
    return gen;
  }

  /**
   * Makes {@code gen} the live generation: marks it published, writes {@code CURRENT.tmp}, fsyncs
   * it, renames it over {@code CURRENT} atomically and fsyncs the root directory. Call only after
   * the generation's index is committed (and verified). Call under {@link #lock()}.
   */
  public void publish(Generation gen) throws IOException {
    if (!gen.dir().getParent().equals(root) || !Files.isDirectory(gen.dir())) {
      throw new IOException("cannot publish " + gen.dir() + ": not a generation of " + root);
    }
    writeDurably(gen.dir().resolve(PUBLISHED_MARKER), Instant.now().toString());
    fsyncDirectory(gen.dir());
    Path tmp = root.resolve(CURRENT + ".tmp");
    writeDurably(tmp, gen.name());
    try {
      Files.move(
          tmp,
          root.resolve(CURRENT),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + root + " cannot rename atomically", e);
    }
    fsyncDirectory(root);
  }

  /**
   * Deletes old generations, keeping the current one and the {@code keep - 1} newest older ones
   * that were published, and removes every generation that was never published (leftovers of
   * crashed or failed runs). Call under {@link #lock()}, after {@link #publish(Generation)}.
   *
   * @param keep generations to keep, at least 1
   * @return the deleted generations
   */
  public List<Generation> prune(int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1; keep=" + keep);
    }
    Optional<Generation> current = current();
    if (current.isEmpty()) {
      return List.of();
    }
    long cur = current.get().number();
    List<Generation> older = new ArrayList<>();
    List<Generation> delete = new ArrayList<>();
    for (Generation g : list()) {
      if (g.number() == cur) {
        continue;
      }
      boolean published = Files.exists(g.dir().resolve(PUBLISHED_MARKER));
      if (g.number() > cur || !published) {
        delete.add(g);
      } else {
        older.add(g);
      }
    }
    int keepOlder = keep - 1;
    for (int i = 0; i < older.size() - keepOlder; i++) {
      delete.add(older.get(i));
    }
    for (Generation g : delete) {
      deleteRecursively(g.dir());
    }
    return delete;
  }

  /**
   * Opens the current generation read-only.
   *
   * @throws IOException if nothing was published yet or the index cannot be read
   * @throws IndexMismatchException if the commit carries no shopsearch metadata
   */
  public OpenIndex openCurrent() throws IOException {
    Generation gen =
        current()
            .orElseThrow(
                () ->
                    new NoSuchFileException(
                        root.resolve(CURRENT).toString(),
                        null,
                        "no published index generation (run the indexer first)"));
    return open(gen);
  }

  /** Opens a given generation read-only. */
  public static OpenIndex open(Generation gen) throws IOException {
    Directory dir = FSDirectory.open(gen.dir());
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(dir);
      IndexMetadata meta = IndexMetadata.fromUserData(reader.getIndexCommit().getUserData());
      return new OpenIndex(gen, dir, reader, meta);
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      dir.close();
      throw e;
    }
  }

  /**
   * Takes the inter-process writer lock ({@code root/indexer.lock}); fails at once if another
   * process or thread holds it. Released by closing the result (and by the OS if the process dies).
   */
  public WriterLock lock() throws IOException {
    Files.createDirectories(root);
    Path file = root.resolve(LOCK);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new IOException("another indexer holds " + file + "; only one may write " + root);
    }
    return new WriterLock(ch, lock);
  }

  /** The held writer lock. */
  public static final class WriterLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() throws IOException {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private static void writeDurably(Path file, String text) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(StandardCharsets.UTF_8.encode(text + "\n"));
      ch.force(true);
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; Lucene's IOUtils.fsync tolerates it too.
      if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
