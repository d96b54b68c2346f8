/**
 * Judging role session names. A session name is chosen by whoever assumed the role, so it
 * proves nothing; it is still the best available hint when it names a person, and it must
 * not be mistaken for a person when it names a machine or a tool.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// first.last, first_last (letters in every part)
const SEPARATED_NAME = /^\p{L}[\p{L}'-]*(?:[._]\p{L}[\p{L}'-]*)+$/u;
// a plain login such as `alice`, `jdoe2`
const PLAIN_LOGIN = /^\p{L}{2,32}\d{0,3}$/u;
// EC2 instance ids (8 or 17 hex digits): the instance profile's automatic session name
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/i;
// ECS task ids and other 32-hex-digit names AWS services use for their sessions
const TASK_ID = /^[0-9a-f]{32}$/i;

/** Words that are tool, pipeline or SDK names when used alone as a session name, not people. */
const NOT_PEOPLE = new Set([
  'admin', 'administrator', 'ansible', 'automation', 'aws', 'awscli', 'backup', 'bot', 'boto', 'boto3', 'botocore',
  'build', 'cd', 'ci', 'cli', 'cloudformation', 'codebuild', 'codepipeline', 'console', 'cron', 'default', 'deploy',
  'deployer', 'deployment', 'ec2', 'ecs', 'eks', 'github', 'gitlab', 'jenkins', 'job', 'k8s', 'karpenter', 'lambda',
  'monitor', 'monitoring', 'packer', 'pipeline', 'pulumi', 'root', 'runner', 'scanner', 'sdk', 'service', 'session',
  'spinnaker', 'sso', 'system', 'terraform', 'test', 'user', 'worker',
]);

export function looksLikePerson(sessionName: string): boolean {
  if (EMAIL.test(sessionName)) return true;
  if (NOT_PEOPLE.has(sessionName.toLowerCase())) return false;
  return SEPARATED_NAME.test(sessionName) || PLAIN_LOGIN.test(sessionName);
}

/** Session names that AWS gives machine sessions (instance profiles, tasks). */
export function looksLikeMachineSession(sessionName: string): boolean {
  return INSTANCE_ID.test(sessionName) || TASK_ID.test(sessionName);
}
