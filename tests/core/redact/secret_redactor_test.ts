// The redactor as a specification: each shape a secret takes is masked, and the text
// around it (names, user names, prose, commit ids, session ids, paths) is left as it was.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { SecretRedactor } from "../../../core/redact/mod.ts";
import { entropyBits, isRandomToken, isSecretName } from "../../../core/redact/_secret_rules.ts";

const redactor = new SecretRedactor();
const masked = (text: string) => redactor.redact(text);

Deno.test("SecretRedactor masks the value of assignments whose name suggests a secret", () => {
  const cases: Array<[string, string]> = [
    ["export GITHUB_TOKEN=abc123secret", "export GITHUB_TOKEN=***"],
    ["DB_PASSWORD='hunter22' npm start", "DB_PASSWORD='***' npm start"],
    ['API_KEY="k-42-xyz" node app.js', 'API_KEY="***" node app.js'],
    ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "AWS_SECRET_ACCESS_KEY=***"],
    ['{"password": "hunter22", "user": "bob"}', '{"password": "***", "user": "bob"}'],
    ["client_secret: 9f8e7d6c5b", "client_secret: ***"],
    ["X-Api-Key: abc123def", "X-Api-Key: ***"],
    [
      "curl 'https://api.example.com/v1?access_token=abc123&page=2'",
      "curl 'https://api.example.com/v1?access_token=***&page=2'",
    ],
    ["mysql --password hunter22 -h db", "mysql --password *** -h db"],
    ["app --auth-token=s3cr3t", "app --auth-token=***"],
    ["secretKey = 'Zx9!yy'", "secretKey = '***'"],
  ];
  for (const [input, output] of cases) equal(masked(input), output, input);
});

Deno.test("SecretRedactor leaves names that only mention a secret, references and prose alone", () => {
  for (
    const text of [
      "TOKEN_FILE=/run/secrets/token cat $TOKEN_FILE",
      'PASSWORD="$DB_PASSWORD" ./migrate',
      "API_KEY=${API_KEY:-} npm test",
      "AUTHOR=jane KEYMAP=us",
      "sort --key 2 data.csv",
      "The key: the login form validates twice.",
      "**Token:** expired tokens are refreshed by the client.",
      "Set `api_key` in your config.",
      "const apiKey = process.env.API_KEY;",
      "token = getToken(user)",
      "interface Login { password: string; token: Token | undefined }",
    ]
  ) equal(masked(text), text, text);
});

Deno.test("SecretRedactor masks bearer tokens, URL and -u credentials, keeping the user", () => {
  equal(
    masked('curl -H "Authorization: Bearer tk_AbCdEfGhIjKlMnOp1234" https://ntfy.sh/x'),
    'curl -H "Authorization: Bearer ***" https://ntfy.sh/x',
  );
  equal(masked("Authorization: Basic YWxpY2U6czNjcjN0"), "Authorization: Basic ***");
  equal(masked("Bearer authentication is used"), "Bearer authentication is used");
  equal(
    masked("git clone https://alice:gh-Pa55word@github.com/org/repo.git"),
    "git clone https://alice:***@github.com/org/repo.git",
  );
  equal(masked("psql postgres://app:pw4db@localhost/app"), "psql postgres://app:***@localhost/app");
  equal(masked("curl -u admin:hunter22 http://localhost"), "curl -u admin:*** http://localhost");
});

Deno.test("SecretRedactor masks AWS keys, well-known tokens, JWTs and private keys", () => {
  equal(masked("aws configure set id AKIAIOSFODNN7EXAMPLE"), "aws configure set id AKIA***");
  equal(masked("use ghp_1234567890abcdefghijABCDEFGHIJ123456"), "use ghp_***");
  equal(masked("slack xoxb-123456789012-abcdefghijkl"), "slack xoxb-***");
  equal(masked("key sk-ant-api03-AbCdEfGhIjKlMnOpQrSt"), "key sk-ant-***");
  equal(
    masked("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"),
    "jwt eyJ***",
  );
  const pem =
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----";
  equal(masked(`key:\n${pem}\ndone`), "key:\n-----BEGIN RSA PRIVATE KEY----- ***\ndone");
  equal(
    masked("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"),
    "-----BEGIN OPENSSH PRIVATE KEY----- ***",
    "a key cut off mid-way is masked to the end",
  );
});

Deno.test("SecretRedactor masks long random tokens but not hex, UUIDs, paths or identifiers", () => {
  equal(masked("token Xk9pL2mQ8rT4vW6yZ1aB3cD5eF7gH0jK here"), "token *** here");
  for (
    const text of [
      "commit 3f2a9c1d4e5b6a7980f1e2d3c4b5a69788776655 fixed it",
      "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      "session 2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77",
      "/home/user/.claude/projects/-home-user-webapp/2b6f0c1e-8a7d-4c3e-9f10-aa55bb66cc77.jsonl",
      "handleUserAuthenticationRequestForLoginForm",
      "src/components/LoginForm/validateCredentialsBeforeSubmit.tsx",
    ]
  ) equal(masked(text), text, text);
  ok(entropyBits("aaaa") === 0);
  ok(isRandomToken("Xk9pL2mQ8rT4vW6yZ1aB3cD5eF7gH0jK"));
  ok(!isRandomToken("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"), "no digits");
});

Deno.test("SecretRedactor applies extra patterns and literal secrets", () => {
  const custom = new SecretRedactor({
    patterns: ["INTERNAL-\\d{6}", "x*"],
    secrets: ["tk_configured_token", "pw"],
  });
  equal(
    custom.redact("ticket INTERNAL-123456 via tk_configured_token and pw"),
    "ticket *** via *** and pw",
    "a pattern matching the empty string inserts nothing; a 2-character secret is too short",
  );
  throws(() => new SecretRedactor({ patterns: ["("] }), SyntaxError);
});

Deno.test("isSecretName() reads snake, kebab, dotted and camel case names", () => {
  deepEqual(
    ["GITHUB_TOKEN", "api-key", "db.password", "apiKey", "SECRET", "author", "keymap", "TOKEN_URL"]
      .map(isSecretName),
    [true, true, true, true, true, false, false, false],
  );
});

Deno.test("SecretRedactor looks inside values that are not secrets themselves", () => {
  equal(masked("OPTS=--password=hunter22 ./run"), "OPTS=--password=*** ./run");
  equal(masked("tool --verbose --token abc123def"), "tool --verbose --token ***");
});

Deno.test("SecretRedactor takes time linear in the text, whatever the text", () => {
  // Each of these made a rule try every start position of a long run (quadratic time):
  // at 100 KB that is seconds; linear, milliseconds.
  for (const unit of ["a", "a-", "--a", "a:", "a=", "abc_DEF-1.", "'a'", "a+", "Aa1"]) {
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const started = performance.now();
    masked(text);
    const ms = performance.now() - started;
    ok(ms < 500, `${JSON.stringify(unit)} × ${text.length / unit.length}: ${ms.toFixed(0)} ms`);
  }
});

// What an approval notification quotes is a command, masked with no token prefix: these
// were the approval's own masking cases before it used this redactor, and each is still
// masked (or kept).
const approvalRedactor = new SecretRedactor({ keepPrefixes: false });
const COMMANDS_MASKED: readonly [string, string][] = [
  ["API_TOKEN=abc123 make deploy", "API_TOKEN=*** make deploy"],
  [
    'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG" && aws s3 ls',
    'export AWS_SECRET_ACCESS_KEY="***" && aws s3 ls',
  ],
  ["DB_PASSWORD='p w' ./migrate", "DB_PASSWORD='***' ./migrate"],
  [
    'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30" https://api',
    'curl -H "Authorization: Bearer ***" https://api',
  ],
  ['curl -H "X-Api-Key: 12345abcdef" https://api', 'curl -H "X-Api-Key: ***" https://api'],
  ["curl --password hunter2 --user bob https://x", "curl --password *** --user bob https://x"],
  [
    "gh auth login --with-token=ghp_abcdefghijklmnopqrstuvwxyz0123",
    "gh auth login --with-token=***",
  ],
  ["mysql -u root -pS3cretPw db", "mysql -u root -p*** db"],
  ["sshpass -phunter22 ssh host", "sshpass -p*** ssh host"],
  ["mysql -u root -p1234 db", "mysql -u root -p*** db"],
  ["sudo /usr/bin/mysqldump -pabc db > d.sql", "sudo /usr/bin/mysqldump -p*** db > d.sql"],
  ["cd app && MYSQL_HOST=db mysql -pxyz", "cd app && MYSQL_HOST=db mysql -p***"],
  ["7z x -pS3cret archive.7z", "7z x -p*** archive.7z"],
  ["tool -pS3cretPw", "tool -p***"],
  ["psql postgres://bob:hunter2@db.example.com/app", "psql postgres://bob:***@db.example.com/app"],
  [
    "git push https://x-access-token:ghs_abc@github.com/o/r",
    "git push https://x-access-token:***@github.com/o/r",
  ],
  ["echo sk-ant-api03-abcdefghijklmnop1234 | pbcopy", "echo *** | pbcopy"],
  [
    "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
    "aws configure set aws_access_key_id ***",
  ],
  [
    "npm publish --//registry.npmjs.org/:_authToken=npm_abc",
    "npm publish --//registry.npmjs.org/:_authToken=***",
  ],
  ["DRIVER=x;UID=sa;PWD=S3cretPw ./etl", "DRIVER=x;UID=sa;PWD=*** ./etl"],
];

const COMMANDS_KEPT = [
  "rm -rf dist",
  "npm run build -- --port 3000",
  "grep -p foo file",
  "mysql -u root -p$MYSQL_PWD db",
  "echo $PATH; ls -la",
  "author=me git commit",
  "cat ~/.ssh/id_rsa",
  'git commit -m "Rotate the token handling"',
  "PWD=/tmp ls",
  "tar -pxvf release.tar",
  "rsync -pavz src/ host:dst/",
  "ssh -p2222 deploy@host",
  "docker run -p8080:80 nginx",
  "mysql -h db; tar -pxvf a.tar",
];

Deno.test("SecretRedactor masks secrets in a command an approval quotes, prefixes too", () => {
  for (const [command, expected] of COMMANDS_MASKED) {
    equal(approvalRedactor.redact(command), expected, command);
  }
  equal(
    masked("gh auth login --with-token=ghp_abcdefghijklmnopqrstuvwxyz0123"),
    "gh auth login --with-token=ghp_***",
  );
  equal(
    approvalRedactor.redact("$ GITHUB_TOKEN=ghp_*** AKIA*** eyJ*** sk-ant-*** -p***"),
    "$ GITHUB_TOKEN=*** *** *** *** -p***",
    "what an earlier pass masked keeps no prefix either",
  );
});

Deno.test("SecretRedactor leaves commands without secrets as they are", () => {
  for (const command of COMMANDS_KEPT) {
    equal(masked(command), command, command);
    equal(approvalRedactor.redact(command), command, command);
  }
});
