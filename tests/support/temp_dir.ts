/**
 * A temporary directory that removes itself: `await using dir = await tempDir();`.
 *
 * @module
 */

/** A temporary directory, removed with everything in it when disposed. */
export interface TempDir extends AsyncDisposable {
  /** Its absolute path. */
  readonly path: string;
}

/** Options for {@linkcode tempDir}. */
export interface TempDirOptions {
  /** The start of the directory's name. @default {"cn-test-"} */
  readonly prefix?: string;
  /**
   * The parent directory. `/tmp` keeps paths short, which socket paths (at most 107 bytes)
   * need. @default {Deno's temp dir}
   */
  readonly dir?: string;
}

/**
 * Creates a temporary directory that is removed, recursively, when disposed.
 *
 * @example
 * ```ts ignore
 * await using dir = await tempDir({ prefix: "cn-journal-" });
 * await Deno.writeTextFile(`${dir.path}/a.txt`, "a");
 * ```
 */
export async function tempDir(options: TempDirOptions = {}): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix: options.prefix ?? "cn-test-", dir: options.dir });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    },
  };
}
