/** `arn:partition:service:region:account:resource` (the resource part may itself hold colons). */
export interface AwsArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(text: string | null): AwsArn | null {
  if (text === null || !text.startsWith('arn:')) return null;
  const c1 = 3;
  const c2 = text.indexOf(':', c1 + 1);
  const c3 = c2 < 0 ? -1 : text.indexOf(':', c2 + 1);
  const c4 = c3 < 0 ? -1 : text.indexOf(':', c3 + 1);
  const c5 = c4 < 0 ? -1 : text.indexOf(':', c4 + 1);
  if (c5 < 0) return null;
  return {
    partition: text.slice(c1 + 1, c2),
    service: text.slice(c2 + 1, c3),
    region: text.slice(c3 + 1, c4),
    account: text.slice(c4 + 1, c5),
    resource: text.slice(c5 + 1),
  };
}
