package dev.shopsearch.trainer.cli;

import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.HubDownloader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trainer pull REPO}: download a checkpoint's files with resume and checksum. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description =
        "Download config.json, model.safetensors and tokenizer.json of a hub repository"
            + " (resumes partial files, verifies sha256). Token: HF_TOKEN.")
final class PullCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "repository, e.g. openai/clip-vit-base-patch32")
  String repo;

  @Option(names = "--endpoint", description = "hub endpoint (default ${DEFAULT-VALUE})")
  URI endpoint = URI.create("https://huggingface.co");

  @Option(names = "--revision", description = "branch, tag or commit (default ${DEFAULT-VALUE})")
  String revision = "main";

  @Option(names = "--out", required = true, description = "target directory")
  Path out;

  @Option(names = "--file", description = "file to fetch, repeatable (default: the CLIP files)")
  List<String> files;

  @Option(names = "--sha256", description = "expected digest, repeatable: FILE=HEX")
  Map<String, String> sha256 = Map.of();

  @Override
  public Integer call() throws Exception {
    new HubDownloader(endpoint, System.getenv("HF_TOKEN"), CliSupport.LOG)
        .pull(
            repo,
            revision,
            files == null || files.isEmpty() ? HfClipCheckpoint.FILES : files,
            out,
            sha256);
    System.out.println(out);
    return 0;
  }
}
