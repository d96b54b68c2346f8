export { createKafka, createProducer, ensureTopics, kafkaReachable, type KafkaSettings } from './kafka-client.js';
export { inputTopicsOf, allTopicsOf } from './topics.js';
export type { Kafka, Producer, Consumer, Admin, IHeaders } from 'kafkajs';
