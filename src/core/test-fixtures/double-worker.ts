import { parentPort } from 'node:worker_threads';

parentPort!.on('message', (msg: { buf: Float32Array }) => {
  let sum = 0;
  for (let i = 0; i < msg.buf.length; i++) {
    msg.buf[i] *= 2;
    sum += msg.buf[i];
  }
  parentPort!.postMessage({ sum });
});
