import type { Prng } from './prng.js';

/**
 * User-agent strings in the shapes CloudTrail records them (late-2026 versions). Device and
 * tool versions are stable per person so that a detector's "unfamiliar device" baseline sees
 * one device family per person, as in a real organisation.
 */
export type DeviceOs = 'macos' | 'windows' | 'linux';
export type Browser = 'chrome' | 'firefox' | 'safari' | 'edge';

export function browserUserAgent(os: DeviceOs, browser: Browser): string {
  const platform =
    os === 'windows' ? 'Windows NT 10.0; Win64; x64' : os === 'macos' ? 'Macintosh; Intel Mac OS X 10_15_7' : 'X11; Linux x86_64';
  switch (browser) {
    case 'firefox':
      return `Mozilla/5.0 (${platform}; rv:145.0) Gecko/20100101 Firefox/145.0`;
    case 'safari':
      return `Mozilla/5.0 (${platform}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15`;
    case 'edge':
      return `Mozilla/5.0 (${platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0`;
    default:
      return `Mozilla/5.0 (${platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36`;
  }
}

export function pickBrowser(rng: Prng, os: DeviceOs): Browser {
  if (os === 'macos') return rng.weighted<Browser>([['chrome', 6], ['safari', 3], ['firefox', 1]]);
  if (os === 'windows') return rng.weighted<Browser>([['chrome', 6], ['edge', 3], ['firefox', 1]]);
  return rng.weighted<Browser>([['firefox', 6], ['chrome', 4]]);
}

const CLI_VERSIONS = ['2.31.12', '2.31.9', '2.30.6', '2.28.21', '2.27.50'];
const BOTO_VERSIONS = ['1.40.61', '1.40.55', '1.39.17'];

export interface ToolProfile {
  readonly os: DeviceOs;
  readonly cliVersion: string;
  readonly botoVersion: string;
}

export function pickToolProfile(rng: Prng, os: DeviceOs): ToolProfile {
  return { os, cliVersion: rng.pick(CLI_VERSIONS), botoVersion: rng.pick(BOTO_VERSIONS) };
}

function cliOs(os: DeviceOs): string {
  if (os === 'macos') return 'os/macos#24.6.0 md/arch#arm64';
  if (os === 'windows') return 'os/windows#10 md/arch#amd64';
  return 'os/linux#6.8.0-85-generic md/arch#x86_64';
}

/** `command` is the CLI's own name for the call, e.g. `ec2.describe-instances`. */
export function awsCliUserAgent(tools: ToolProfile, command: string): string {
  const installer = tools.os === 'macos' ? 'md/installer#source' : 'md/installer#exe';
  const distrib = tools.os === 'linux' ? ' md/distrib#ubuntu.24' : '';
  return (
    `aws-cli/${tools.cliVersion} md/awscrt#0.27.6 ua/2.1 ${cliOs(tools.os)} lang/python#3.13.7 ` +
    `md/pyimpl#CPython m/b,Z,E cfg/retry-mode#standard ${installer}${distrib} md/prompt#off md/command#${command}`
  );
}

export function boto3UserAgent(tools: ToolProfile): string {
  const v = tools.botoVersion;
  return `Boto3/${v} md/Botocore#${v} ua/2.1 ${cliOs(tools.os)} lang/python#3.12.3 md/pyimpl#CPython m/Z,b cfg/retry-mode#legacy Botocore/${v}`;
}

const TF_API_VERSIONS: Record<string, string> = {
  ec2: '1.259.0',
  iam: '1.47.9',
  s3: '1.88.4',
  sts: '1.38.8',
  lambda: '1.78.2',
  logs: '1.57.5',
  kms: '1.45.7',
  cloudtrail: '1.53.6',
  ecs: '1.65.2',
};

export function terraformUserAgent(service: string): string {
  return (
    'APN/1.0 HashiCorp/1.0 Terraform/1.13.4 (+https://www.terraform.io) terraform-provider-aws/6.19.0 ' +
    '(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.39.5 ua/2.1 os/linux lang/go#1.24.9 ' +
    `md/GOOS#linux md/GOARCH#amd64 api/${service}#${TF_API_VERSIONS[service] ?? '1.40.0'} m/C,g`
  );
}

export function lambdaSdkUserAgent(service: string): string {
  return (
    'aws-sdk-js/3.901.0 ua/2.1 os/linux#5.10.240-258.930.amzn2.x86_64 lang/js md/nodejs#22.19.0 ' +
    `api/${service}#3.901.0 m/N,E,e exec-env/AWS_Lambda_nodejs22.x`
  );
}

const S3_CONSOLE_UA =
  '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.791 Linux/5.10.240-238.966.amzn2int.x86_64 ' +
  'OpenJDK_64-Bit_Server_VM/25.462-b08 java/1.8.0_462 vendor/Oracle_Corporation cfg/retry-mode/standard]';

/** What CloudTrail shows for calls the web console makes on the user's behalf. */
export function consoleUserAgent(service: string, browserUa: string): string {
  if (service === 's3') return S3_CONSOLE_UA;
  if (service === 'ec2') return 'console.ec2.amazonaws.com';
  return browserUa;
}

/** S3 wraps the caller's user agent in brackets. */
export function s3Wrapped(ua: string): string {
  return ua.startsWith('[') ? ua : `[${ua}]`;
}
