// The built-in rules of the secret redactor: what a secret looks like in a command, a
// config file, a URL or a reply, and how it is masked. Each rule keeps what helps a reader
// (the variable's name, the user name, a token's well-known prefix) and masks the rest.

/** What a masked value is replaced with. */
export const MASK = "***";

/** One rule: a global regular expression and what a match becomes. */
export interface SecretRule {
  readonly name: string;
  readonly pattern: RegExp;
  readonly replace: (match: string, ...groups: string[]) => string;
}

/** Words that make a variable, flag or key name a secret's (matched whole, any case). */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "secret",
  "secrets",
  "password",
  "passwords",
  "passwd",
  "pass",
  "passphrase",
  "pwd",
  "key",
  "apikey",
  "auth",
  "credential",
  "credentials",
  "cred",
  "creds",
  "private",
  "cookie",
  "signature",
]);

/** Splits a name into lower-case words at `_`, `-`, `.` and camelCase boundaries. */
function nameWords(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s_.\-]+/)
    .filter((word) => word !== "");
}

/** Last words that make a name about a secret rather than the secret (`TOKEN_FILE`). */
const NOT_SECRET_ENDINGS = new Set([
  "file",
  "path",
  "dir",
  "env",
  "name",
  "id",
  "type",
  "url",
  "length",
  "size",
  "count",
  "limit",
  "ttl",
  "expiry",
  "expires",
  "format",
  "prefix",
  "header",
]);

/** Whether a name (`GITHUB_TOKEN`, `apiKey`, `db.password`) suggests it holds a secret. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length > 1 && NOT_SECRET_ENDINGS.has(words[words.length - 1]!)) return false;
  return words.some((word) => SECRET_WORDS.has(word));
}

/**
 * A value that only refers to a secret (`$TOKEN`, `${X}`, `<token>`, code such as
 * `process.env.API_KEY` or `getToken()`) or is masked already.
 */
function isPlaceholder(value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, "");
  const quoted = bare !== value;
  const code = !quoted &&
    (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(bare) || /^[A-Za-z_$][\w$.]*\(/.test(bare));
  return bare.length < 3 || /^[$%<{]/.test(bare) || /^(\*+|x+|\.+|…)$/i.test(bare) ||
    bare.includes(MASK) || code;
}

/**
 * `PWD=/tmp`: the shell's working directory, not a password. `PWD` stays a secret's name
 * elsewhere (`Pwd=…` in a connection string), so only a path value is let through.
 */
function isWorkingDirectory(name: string, value: string): boolean {
  return /^pwd$/i.test(name) && /^["']?[/~]/.test(value);
}

/** Programs that take a password glued to `-p`: whatever follows it there is masked. */
const PASSWORD_PROGRAMS = new Set([
  "mysql",
  "mariadb",
  "mysqldump",
  "mysqladmin",
  "mysqlimport",
  "mysqlcheck",
  "mysqlshow",
  "sshpass",
  "7z",
  "7za",
  "7zr",
  "rar",
  "unrar",
]);

/** Words that run the command after them (`sudo mysql …`). */
const WRAPPERS = new Set(["sudo", "env", "exec", "command", "nice", "time", "nohup"]);

/** How far back the program of a command is looked for: a bound keeps redaction linear. */
const PROGRAM_LOOKBACK_CHARS = 200;

/**
 * The program of the shell command around `offset` in `text`: the first word of its
 * segment (after `;`, `&`, `|`, `(` or a line break), past variable assignments and
 * wrappers such as `sudo`, without its folder. Looked for at most
 * {@linkcode PROGRAM_LOOKBACK_CHARS} back; "" when there is none.
 */
function programBefore(text: string, offset: number): string {
  const from = Math.max(0, offset - PROGRAM_LOOKBACK_CHARS);
  let start = from;
  for (let at = offset - 1; at >= from; at--) {
    if (";&|(\n".includes(text[at]!)) {
      start = at + 1;
      break;
    }
  }
  const words = text.slice(start, offset).trim().split(/\s+/);
  let index = 0;
  while (
    index < words.length - 1 &&
    (WRAPPERS.has(words[index]!) || /^[A-Za-z_]\w*=/.test(words[index]!))
  ) {
    index++;
  }
  const word = words[index] ?? "";
  return word.slice(word.lastIndexOf("/") + 1);
}

/** `xvf`, `avz` (flags glued to `-p`) or `2222`, `8080:80` (ports): no password. */
function looksLikeFlagsOrPort(value: string): boolean {
  return /^[a-z]{1,5}$/.test(value) || /^\d{1,5}(?::\d{1,5}){0,2}$/.test(value);
}

/** Whether a value looks machine-made rather than like a word of prose. */
export function looksRandom(value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, "");
  if (bare.length < 6) return false;
  const digits = /\d/.test(bare);
  const mixed = /[a-z]/.test(bare) && /[A-Z]/.test(bare);
  const symbols = /[^A-Za-z0-9\s]/.test(bare);
  return (digits && /[A-Za-z]/.test(bare)) || (mixed && bare.length >= 12) || symbols;
}

/** Shannon entropy of the string's characters, in bits per character. */
export function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A long token that is probably random: 32+ characters with upper and lower case letters,
 * at least three digits and high entropy. Hex (commit ids, digests) and UUIDs never
 * qualify: they have no upper case letters.
 */
export function isRandomToken(token: string): boolean {
  if (token.length < 32) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  if ((token.match(/\d/g)?.length ?? 0) < 3) return false;
  return entropyBits(token) >= 4;
}

/** A value after `=` or `:`: quoted, or up to a space or a delimiter. */
const VALUE = `("[^"\\n]*"|'[^'\\n]*'|[^\\s"'\`&;,|)<>]+)`;
/** A name: word characters, dots and single dashes (never "--", which starts a flag). */
const NAME = `([A-Za-z_](?:[A-Za-z0-9_.]|-(?!-))*)`;

/** The mask for a value: its quotes kept, and the punctuation of the sentence it ends. */
function keepQuotes(value: string): string {
  const quote = value[0] === '"' || value[0] === "'" ? value[0] : "";
  if (quote !== "") return `${quote}${MASK}${quote}`;
  return `${MASK}${/[.,:;!?…]+$/.exec(value)?.[0] ?? ""}`;
}

/** `NAME=value`, `"NAME": "value"`, `NAME: value`; never `scheme://`, never across lines. */
// The look-behind starts a name only where a name can start (not inside a word, nor after
// a "-" inside one, though after "--"): tried at every character of a long run of name
// characters, the pattern would take time quadratic in its length.
const ASSIGNMENT_SOURCE =
  `(?<![A-Za-z0-9_.]|[A-Za-z0-9_.]-)(["']?)${NAME}\\1([ \\t]*)(=|:(?!//))([ \\t]*)${VALUE}`;
const ASSIGNMENT = new RegExp(ASSIGNMENT_SOURCE, "g");

/**
 * The mask for one match of {@linkcode ASSIGNMENT}: `groups` are what `replace` passes
 * (the match, then the quote, name, space, sign, space and value). With `lookInside`, a
 * value that is not a secret's is searched for an assignment of its own.
 */
function maskAssignment(lookInside: boolean, groups: readonly string[]): string {
  const [match, quote, name, before, sign, after, value] = groups as readonly [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const quoted = value[0] === '"' || value[0] === "'";
  const prefix = `${quote}${name}${quote}${before}${sign}${after}`;
  if (!isSecretName(name)) {
    if (!lookInside) return match;
    // The value may itself hold an assignment (OPTS=--password=x): look inside it, once.
    const inner = value.replace(
      new RegExp(ASSIGNMENT_SOURCE, "g"),
      (...found: string[]) => maskAssignment(false, found),
    );
    return inner === value ? match : `${prefix}${inner}`;
  }
  if (isPlaceholder(value) || isWorkingDirectory(name, value)) return match;
  if (sign === ":" && !quoted && !looksRandom(value)) return match;
  return `${prefix}${keepQuotes(value)}`;
}

/** The prefixes of cloud access key ids (AWS: `AKIA…`, `ASIA…`). */
const KEY_ID_PREFIXES = "AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA";
/** The prefixes of well-known tokens. */
const TOKEN_PREFIXES =
  "gh[pousr]_|github_pat_|glpat-|xox[abprs]-|sk-ant-|sk-|npm_|tk_|AIza|hf_|pypi-";

/**
 * A masked value that still shows its token's prefix (`ghp_***`, `AKIA***`, `eyJ***`), as
 * the built-in rules leave it.
 */
export const MASKED_PREFIX = new RegExp(
  `\\b(?:${TOKEN_PREFIXES}|${KEY_ID_PREFIXES}|eyJ)\\*\\*\\*`,
  "g",
);

/** The built-in rules, in the order they run. */
export const SECRET_RULES: readonly SecretRule[] = [
  {
    name: "private key block",
    pattern:
      /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$(?![\s\S]))/g,
    replace: (_match, kind) => `-----BEGIN ${kind}PRIVATE KEY----- ${MASK}`,
  },
  {
    name: "credentials in a URL",
    pattern: /(?<![a-z0-9+.\-])([a-z][a-z0-9+.\-]*:\/\/)([^\s:@/]+):([^\s@/]+)@/gi,
    replace: (_match, scheme, user) => `${scheme}${user}:${MASK}@`,
  },
  {
    name: "bearer or basic credentials",
    pattern: /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/\-]{8,}=*)/gi,
    replace: (match, scheme, space, value) =>
      looksRandom(value) ? `${scheme}${space}${MASK}` : match,
  },
  {
    name: "user and password option",
    pattern: /(\s(?:-u|--user)\s+)([^\s:'"]+):([^\s'"]+)/g,
    replace: (_match, flag, user) => `${flag}${user}:${MASK}`,
  },
  {
    // mysql -pS3cret, sshpass -pS3cret, 7z -pS3cret: the password glued to -p. Elsewhere
    // `-p` glues other things: flags (tar -pxvf, rsync -pavz) and ports (ssh -p2222,
    // docker run -p8080:80), which stay.
    name: "password glued to -p",
    pattern: /(\s-p)(?![\s*])([^\s;&|]{3,})/g,
    replace: (match, flag, value, ...rest) => {
      if (isPlaceholder(value)) return match;
      const takesPassword = PASSWORD_PROGRAMS.has(programBefore(String(rest[1]), Number(rest[0])));
      return takesPassword || !looksLikeFlagsOrPort(value) ? `${flag}${MASK}` : match;
    },
  },
  {
    name: "cloud access key id",
    pattern: new RegExp(`\\b(${KEY_ID_PREFIXES})[A-Z0-9]{16}\\b`, "g"),
    replace: (_match, prefix) => `${prefix}${MASK}`,
  },
  {
    name: "well-known token",
    pattern: new RegExp(`\\b(${TOKEN_PREFIXES})([A-Za-z0-9_\\-]{16,})`, "g"),
    replace: (_match, prefix) => `${prefix}${MASK}`,
  },
  {
    name: "JSON web token",
    pattern: /\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}/g,
    replace: () => `eyJ${MASK}`,
  },
  {
    name: "secret flag",
    pattern: new RegExp(`(?<![A-Za-z0-9_.\\-])(--${NAME})([ \\t]+)(?!-)${VALUE}`, "g"),
    replace: (match, flag, name, space, value) =>
      isSecretName(name) && !value.startsWith("-") && !isPlaceholder(value)
        ? `${flag}${space}${keepQuotes(value)}`
        : match,
  },
  {
    name: "secret assignment",
    // NAME=value, "NAME": "value", NAME: value (the colon form only for values that look
    // machine-made or are quoted, so prose such as "Key: the login flow" is left alone).
    pattern: ASSIGNMENT,
    replace: (...groups) => maskAssignment(true, groups),
  },
  {
    name: "random-looking token",
    pattern: /[A-Za-z0-9+/_\-]{32,}={0,2}/g,
    replace: (match) => isRandomToken(match.replace(/=+$/, "")) ? MASK : match,
  },
];
