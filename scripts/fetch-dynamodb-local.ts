import { ensureDynamoDbLocal } from '../local/dynamodb-local.js';

// Fetches DynamoDB Local into .cache/dynamodb-local/ ahead of time (CI caches, offline work); tests and
// `npm start` fetch it on first use anyway. Prints the folder holding DynamoDBLocal.jar.
console.log(await ensureDynamoDbLocal());
