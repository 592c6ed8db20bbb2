// What an approval notification shows of a command: obvious secrets masked, the rest as it is.
import { equal } from "node:assert/strict";
import { maskCommandSecrets } from "../../../daemon/approval/mod.ts";

const MASKED: readonly [string, string][] = [
  ["API_TOKEN=abc123 make deploy", "API_TOKEN=*** make deploy"],
  [
    'export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG" && aws s3 ls',
    "export AWS_SECRET_ACCESS_KEY=*** && aws s3 ls",
  ],
  ["DB_PASSWORD='p w' ./migrate", "DB_PASSWORD=*** ./migrate"],
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
];

const KEPT = [
  "rm -rf dist",
  "npm run build -- --port 3000",
  "grep -p foo file",
  "echo $PATH; ls -la",
  "author=me git commit",
  "cat ~/.ssh/id_rsa",
  'git commit -m "Rotate the token handling"',
  "PWD=/tmp ls",
];

Deno.test("maskCommandSecrets() masks values of secret-looking names, flags, credentials and known tokens", () => {
  for (const [command, expected] of MASKED) equal(maskCommandSecrets(command), expected, command);
});

Deno.test("maskCommandSecrets() leaves commands without secrets as they are", () => {
  for (const command of KEPT) equal(maskCommandSecrets(command), command);
});
