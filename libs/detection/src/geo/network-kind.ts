/**
 * Whether an autonomous system is a hosting or cloud provider rather than an ISP that
 * serves homes and offices. People rarely sign in from a rented server; stolen keys very
 * often are used from one. The list names the large providers by their registered names.
 */
const HOSTING = new RegExp(
  [
    'amazon',
    'google cloud',
    'google llc',
    'microsoft',
    'digitalocean',
    'ovh',
    'hetzner',
    'linode',
    'akamai connected cloud',
    'vultr',
    'the constant company',
    'choopa',
    'm247',
    'leaseweb',
    'contabo',
    'scaleway',
    'online s\\.a\\.s',
    'ionos',
    'oracle',
    'alibaba',
    'tencent',
    'huawei cloud',
    'hostinger',
    'hostdime',
    'datacamp',
    'cdn77',
    'psychz',
    'quadranet',
    'colocrossing',
    'servers\\.com',
    'g-core',
    'gcore',
    'cloudflare',
    'fastly',
    'hosting',
    'datacenter',
    'data center',
    'vps',
  ].join('|'),
  'i',
);

export function isHostingNetwork(asOrg: string | null | undefined): boolean {
  return typeof asOrg === 'string' && HOSTING.test(asOrg);
}
