import type { TopicNames } from '#domain';

export function inputTopicsOf(topics: TopicNames): string[] {
  return Object.values(topics.inputs);
}

export function allTopicsOf(topics: TopicNames): string[] {
  return [...inputTopicsOf(topics), topics.anomalies, topics.dlq];
}
