/**
 * `graceful-lifecycle/amqp`: RabbitMQ through `amqplib` (promise API). `amqpConsumer()` consumes a
 * queue and, on stop, cancels the consumer, lets the handlers in flight ack, and requeues what
 * had not started; `amqpConnection()` closes a shared connection after every consumer drained.
 *
 * @module
 */
export {
  type AmqpConnectionLike,
  type AmqpConnectionOptions,
  amqpConnection,
} from './connection.js'
export {
  type AmqpChannelLike,
  type AmqpConsumerOptions,
  type AmqpHandler,
  type AmqpHandlerContext,
  amqpConsumer,
} from './consumer.js'
